const JiraApi = require('jira-client');

const jira = new JiraApi({
  protocol: 'https',
  host: 'acme.atlassian.net',
  username: 'automation@acme.io',
  password: 'ATATT3xFfGF09eFZ6RTEmD9CzHOK2dqJrPRHc7YENlms9Ji4wiTT2b0_dYOkazttG55wHqKqRoaRYXc9HtZ-UuQqOU5SiZcdFWzJbcADXXQvPPQW_4jrRQebqm9pFyh_JD_UfaENZinw89GdDKfyy8b5jtUrdtzrZgT_KdQDn9lahRDo1tFpNw=57B9E1CF',
  apiVersion: '3',
  strictSSL: true,
});

const linearKey = process.env.LINEAR_API_KEY || 'lin_api_Rr812tTWlN5GpjpKqjyQHZ11lIJ8LpiBa8QQf8aj';

module.exports = { jira, linearKey };
