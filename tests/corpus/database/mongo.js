const { MongoClient } = require('mongodb');

const uri = 'mongodb+srv://reporting:RJO7UPSOXw-yjCv8LNnO@cluster0.x7kq2.mongodb.net/reports?retryWrites=true&w=majority';
const replicaUri = "mongodb://admin:kEew7fKrrd.7AwKZlZET@mongo-0.mongo:27017,mongo-1.mongo:27017/admin?replicaSet=rs0";

async function main() {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  const n = await client.db('reports').collection('daily').countDocuments();
  console.log(`reports: ${n}`);
}

module.exports = { main, replicaUri };
