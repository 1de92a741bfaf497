const express = require('express');
const session = require('express-session');
const jwt = require('jsonwebtoken');

const app = express();
const JWT_SECRET = '4be54146664baa3df0de005e0f6041ecb5d45e5444308e0e689cb202814341a5';

app.use(session({ secret: 'FcsPerVCWs4a0QCnuvTLNgCP', resave: false, saveUninitialized: false }));

const dbConfig = {
  host: 'db.acme.internal',
  user: 'web',
  password: 'fD1W4xSfqAhn%er4yebR',
  database: 'web',
};

app.get('/token', (req, res) => {
  res.json({ token: jwt.sign({ sub: req.query.user }, JWT_SECRET, { expiresIn: '1h' }) });
});

module.exports = { app, dbConfig };
