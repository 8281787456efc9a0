-- The booking application's own role and database, beside Temporal's (created on the volume's first start).
CREATE ROLE booking LOGIN PASSWORD 'booking';
CREATE DATABASE booking OWNER booking;
\connect booking
CREATE EXTENSION IF NOT EXISTS btree_gist;
