const express = require('express');
const session = require('express-session');
const jwt = require('jsonwebtoken');

const app = express();
const JWT_SECRET = 'd00689467d2b2151cdce16029364b2dfdb4eca2d820ae564d2b1f2d96fd63888';

app.use(session({ secret: '6Dx66WtXxHHXTIohWHxIpL7p', resave: false, saveUninitialized: false }));

const dbConfig = {
  host: 'db.acme.internal',
  user: 'web',
  password: 'CO1hRXCuVKkv%w0O931N',
  database: 'web',
};

app.get('/token', (req, res) => {
  res.json({ token: jwt.sign({ sub: req.query.user }, JWT_SECRET, { expiresIn: '1h' }) });
});

module.exports = { app, dbConfig };
