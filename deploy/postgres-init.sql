-- One database per service: no service reads another's tables.
CREATE DATABASE applications;
CREATE DATABASE funding;
CREATE DATABASE volunteers;
CREATE DATABASE reporting;
