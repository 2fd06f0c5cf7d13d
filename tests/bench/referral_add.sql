BEGIN IMMEDIATE;
INSERT INTO person(name, born) VALUES ('Shell Testesen', '1970-01-01');
INSERT INTO ke_case(person_id, status) VALUES (last_insert_rowid(), 'received');
INSERT INTO referral(case_id, source, received) VALUES (last_insert_rowid(), 'bti', '2026-11-22');
INSERT INTO request(case_id, referral_id, item) SELECT case_id, id, 'ip' FROM referral WHERE id = last_insert_rowid();
INSERT INTO audit(at, login, command, entity, entity_id, change, salt, digest, hash)
  SELECT '2026-11-22T00:00:00Z', 'bench', 'referral add', 'person', 1, '{}', randomblob(16), randomblob(32), randomblob(32) FROM (SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4);
COMMIT;
