-- the statements bti report semiannual runs (lib/report.c), for the sqlite3 shell
SELECT
 (SELECT count(*) FROM referral WHERE received BETWEEN '2026-01-01' AND '2026-06-30'),
 (SELECT count(*) FROM referral WHERE received BETWEEN '2026-01-01' AND '2026-06-30' AND source = 'bti'),
 (SELECT count(*) FROM referral WHERE received BETWEEN '2026-01-01' AND '2026-06-30' AND source = 'plo'),
 (SELECT count(*) FROM referral WHERE received BETWEEN '2026-01-01' AND '2026-06-30' AND source = 'application'),
 (SELECT count(*) FROM decision WHERE decided BETWEEN '2026-01-01' AND '2026-06-30' AND voided IS NULL),
 (SELECT count(*) FROM decision WHERE decided BETWEEN '2026-01-01' AND '2026-06-30' AND voided IS NULL AND outcome = 'granted'),
 (SELECT count(*) FROM decision WHERE decided BETWEEN '2026-01-01' AND '2026-06-30' AND voided IS NULL AND outcome = 'denied'),
 (SELECT count(DISTINCT coordinator_id) FROM assignment WHERE start <= '2026-06-30' AND (end IS NULL OR end > '2026-06-30') AND '2026-01-01' IS NOT NULL),
 (SELECT count(*) FROM assignment WHERE start BETWEEN '2026-01-01' AND '2026-06-30'),
 (SELECT count(DISTINCT case_id) FROM assignment WHERE start <= '2026-06-30' AND (end IS NULL OR end > '2026-06-30') AND '2026-01-01' IS NOT NULL),
 (SELECT count(*) FROM plan WHERE started BETWEEN '2026-01-01' AND '2026-06-30'),
 (SELECT count(*) FROM plan WHERE adopted BETWEEN '2026-01-01' AND '2026-06-30'),
 (SELECT count(*) FROM evaluation WHERE evaluated BETWEEN '2026-01-01' AND '2026-06-30'),
 (SELECT count(*) FROM plan p WHERE p.adopted <= '2026-06-30' AND (p.ended IS NULL OR p.ended > '2026-06-30') AND coalesce((SELECT e.next_evaluation FROM evaluation e WHERE e.plan_id = p.id  AND e.evaluated <= '2026-06-30' ORDER BY e.evaluated DESC, e.id DESC LIMIT 1),  p.first_evaluation) < '2026-06-30' AND '2026-01-01' IS NOT NULL),
 (SELECT count(*) FROM preliminary_reply WHERE sent BETWEEN '2026-01-01' AND '2026-06-30'),
 (SELECT count(*) FROM appeal WHERE received BETWEEN '2026-01-01' AND '2026-06-30'),
 (SELECT count(*) FROM appeal WHERE forwarded BETWEEN '2026-01-01' AND '2026-06-30'),
 (SELECT count(*) FROM appeal WHERE result = 'reversed' AND result_date BETWEEN '2026-01-01' AND '2026-06-30'),
 (SELECT count(*) FROM appeal WHERE result = 'upheld' AND result_date BETWEEN '2026-01-01' AND '2026-06-30'),
 (SELECT count(*) FROM appeal WHERE result = 'quashed' AND result_date BETWEEN '2026-01-01' AND '2026-06-30'),
 (SELECT count(*) FROM gathering WHERE held BETWEEN '2026-01-01' AND '2026-06-30'),
 (SELECT count(*) FROM attendance t JOIN gathering g ON g.id = t.gathering_id WHERE g.held BETWEEN '2026-01-01' AND '2026-06-30'),
 (SELECT count(DISTINCT t.coordinator_id) FROM attendance t JOIN gathering g ON g.id = t.gathering_id WHERE g.held BETWEEN '2026-01-01' AND '2026-06-30'),
 (SELECT count(*) FROM decision d JOIN decision_item i ON i.decision_id = d.id WHERE d.decided BETWEEN '2026-01-01' AND '2026-06-30' AND d.voided IS NULL AND i.item = 'coordinator' AND d.outcome = 'granted'),
 (SELECT count(*) FROM decision d JOIN decision_item i ON i.decision_id = d.id WHERE d.decided BETWEEN '2026-01-01' AND '2026-06-30' AND d.voided IS NULL AND i.item = 'coordinator' AND d.outcome = 'denied'),
 (SELECT count(*) FROM decision d JOIN decision_item i ON i.decision_id = d.id WHERE d.decided BETWEEN '2026-01-01' AND '2026-06-30' AND d.voided IS NULL AND i.item = 'ip' AND d.outcome = 'granted'),
 (SELECT count(*) FROM decision d JOIN decision_item i ON i.decision_id = d.id WHERE d.decided BETWEEN '2026-01-01' AND '2026-06-30' AND d.voided IS NULL AND i.item = 'ip' AND d.outcome = 'denied'),
 (SELECT count(*) FROM decision d JOIN decision_item i ON i.decision_id = d.id WHERE d.decided BETWEEN '2026-01-01' AND '2026-06-30' AND d.voided IS NULL AND i.item = 'child' AND d.outcome = 'granted'),
 (SELECT count(*) FROM decision d JOIN decision_item i ON i.decision_id = d.id WHERE d.decided BETWEEN '2026-01-01' AND '2026-06-30' AND d.voided IS NULL AND i.item = 'child' AND d.outcome = 'denied');
SELECT CAST(julianday(d.decided) AS INTEGER) - CAST(julianday(min(r.received)) AS INTEGER) AS n FROM decision d
 JOIN decision_item i ON i.decision_id = d.id JOIN request q ON q.case_id = d.case_id
 AND q.item = i.item JOIN referral r ON r.id = q.referral_id
 WHERE d.decided BETWEEN '2026-01-01' AND '2026-06-30' AND d.voided IS NULL GROUP BY d.id ORDER BY n;
SELECT CAST(julianday(start) AS INTEGER) - CAST(julianday(granted_on) AS INTEGER) AS n FROM assignment
 WHERE start BETWEEN '2026-01-01' AND '2026-06-30' ORDER BY n;
