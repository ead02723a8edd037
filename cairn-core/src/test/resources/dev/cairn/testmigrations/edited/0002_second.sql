-- a trigger body has semicolons inside
CREATE TABLE second (id INTEGER PRIMARY KEY, note TEXT DEFAULT 'a;b');
CREATE TRIGGER second_touch AFTER INSERT ON second BEGIN
  UPDATE second SET note = note || ';' WHERE id = new.id;
END;
