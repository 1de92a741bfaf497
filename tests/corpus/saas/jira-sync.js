const JiraApi = require('jira-client');

const jira = new JiraApi({
  protocol: 'https',
  host: 'acme.atlassian.net',
  username: 'automation@acme.io',
  password: 'ATATT3xFfGF0Xc9HtZ-UuQqOU5SiZcdFWzJbcADXXQvPPQW_4jrRQebqm9pFyh_JD_UfaENZinw89GdDKfyy8b5jtUrdtzrZgT_KdQDn9lahRDo1tFpNwVfsl4Gw-insaMUgOzQSWD1gg-15-OEssVT9PfF23mML8LoQGX2wc-anzoP_5Zxv8x=A349D4E1',
  apiVersion: '3',
  strictSSL: true,
});

const linearKey = process.env.LINEAR_API_KEY || 'lin_api_TKjlF9Ewy6TRDkIMaDQ8EJli8uth7xHQTqbfnEeN';

module.exports = { jira, linearKey };
