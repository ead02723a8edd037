CREATE TABLE half_done (id INTEGER PRIMARY KEY);
INSERT INTO first (id, name) VALUES (1, 'kept only if the migration commits');
CREATE TABLE broken (id INTEGER PRIMARY KEY,, oops);
