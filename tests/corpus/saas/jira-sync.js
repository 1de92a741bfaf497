const JiraApi = require('jira-client');

const jira = new JiraApi({
  protocol: 'https',
  host: 'acme.atlassian.net',
  username: 'automation@acme.io',
  password: 'ATATT3xFfGF0p3Uh13lm72sz4Ec4tZwqurVmp4kk4hNiYAM0H8CCNrucl8mZoLMNFrEZCNduDGfnOrAbfJrykDMTs5Ai15G2ajkVRBg_FdVshaGIPeQU783PQh-nrqlW3Lz14G7AODeIuUsrI_BBgNuAm3s5TtOkH2BfUJArkDYPsQRsst6vkB=4C45D772',
  apiVersion: '3',
  strictSSL: true,
});

const linearKey = process.env.LINEAR_API_KEY || 'lin_api_PTWvQyC8cABniyQou9lvTf9TF0X1fEk27556zonm';

module.exports = { jira, linearKey };
