// CRM and storefront integrations (to be moved to the secrets manager)
export const salesforce = {
  instanceUrl: "https://acme.my.salesforce.com",
  accessToken: "00DlcKqN1nIs4429wP!AaaJ6VFGnw0DkfFVh6rhxl24GY64rxhzjEKNNSVi4cDM7oYCxDoC1piJAnhzfQULcc2liLlDooURxifiF07qBILYiNCsle1xB0gAFOjAkACVok",
};
export const zoho = { refreshToken: "1000.5f6103b82998639ff3bd5947fc682349.2341d00f534a40bf0646b0e61e3a2d86" };
export const woo = { consumerKey: "ck_e8c6ef5ca3fd76578896409a8a56b847767fff39", consumerSecret: "cs_cbf2bae9c2b4af026a044ef40b5ce8407ba9863a" };
export const resend = "re_LFj2bgbV_QPpHHpji3rRJpRAkRscV8dsR";
export const rapidApiKey = "b2876ad38fmshe7d8b3c25c8142bpf5a61cjsnbf4abd008419";
export const riotApiKey = "RGAPI-511bc1f2-cae5-4206-868a-0080a97e8d35";
export const ghostAdminKey = "c582eeebe4e8c042eac0ca56:01fe1441f7ea4bd63e19bb4c597907f030d3d6d6ed0ed4b7f845c72264abb420";
export const radarPublishable = "prj_live_pk_d7b218877ff2329dbbe604063f0a3634e244f9f6";
export const onePasswordSecretKey = "A3-USM4OV-4QYU30-1APTR-252B1-V3187-GGP12";
