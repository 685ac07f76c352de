CREATE TABLE owners (id TEXT PRIMARY KEY);
CREATE TABLE widgets (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	owner_id TEXT REFERENCES owners(id),
	weight INTEGER NOT NULL CHECK (weight >= 0)
);
