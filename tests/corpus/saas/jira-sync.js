const JiraApi = require('jira-client');

const jira = new JiraApi({
  protocol: 'https',
  host: 'acme.atlassian.net',
  username: 'automation@acme.io',
  password: 'ATATT3xFfGF0_Hn2j_7kuxvWHfIIFOM3nwA0HoDjTvQAZB955u_imiiV719MBEtj4SM38tvRlzXV0vB7lbxDi-F1yljmFFk-2aG3aXjiYIKwNUGxuJrKCehH9EyNLq3rQBnSfkAzB8ZSUPQ9WKoMD8FdCc1khfmaox2Yn7RV3sKVElgXfmp5OH=D36BCA1D',
  apiVersion: '3',
  strictSSL: true,
});

const linearKey = process.env.LINEAR_API_KEY || 'lin_api_cknA5jqER6V031JHyRqDtt74M0svEDvTcpdRLvpL';

module.exports = { jira, linearKey };
