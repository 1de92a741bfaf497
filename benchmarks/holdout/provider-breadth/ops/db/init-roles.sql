-- Roles for the analytics database, run once by the bootstrap job.
CREATE ROLE analytics_ro WITH LOGIN PASSWORD 'Hv5mR8kT3wQz6XpN';
CREATE ROLE analytics_etl WITH LOGIN ENCRYPTED PASSWORD 'md5b4f1c2a8e97d3065f7a1e2c4d8b90f13';
-- the admin password comes from the job's psql -v admin_pw=...
ALTER ROLE analytics_admin WITH PASSWORD :'admin_pw';
GRANT CONNECT ON DATABASE analytics TO analytics_ro;
GRANT USAGE ON SCHEMA reporting TO analytics_ro;
