SELECT
 (SELECT count(*) FROM referral WHERE received BETWEEN '2026-01-01' AND '2026-06-30'),
 (SELECT count(*) FROM referral WHERE received BETWEEN '2026-01-01' AND '2026-06-30' AND source = 'bti'),
 (SELECT count(*) FROM referral WHERE received BETWEEN '2026-01-01' AND '2026-06-30' AND source = 'plo'),
 (SELECT count(*) FROM referral WHERE received BETWEEN '2026-01-01' AND '2026-06-30' AND source = 'application'),
 (SELECT count(*) FROM decision WHERE decided BETWEEN '2026-01-01' AND '2026-06-30' AND voided IS NULL),
 (SELECT count(*) FROM decision WHERE decided BETWEEN '2026-01-01' AND '2026-06-30' AND voided IS NULL AND outcome = 'granted'),
 (SELECT count(*) FROM decision d JOIN decision_item i ON i.decision_id = d.id WHERE d.decided BETWEEN '2026-01-01' AND '2026-06-30' AND i.item = 'ip'),
 (SELECT count(DISTINCT coordinator_id) FROM assignment WHERE start <= '2026-06-30' AND (end IS NULL OR end > '2026-06-30')),
 (SELECT count(DISTINCT case_id) FROM assignment WHERE start <= '2026-06-30' AND (end IS NULL OR end > '2026-06-30')),
 (SELECT count(*) FROM assignment WHERE start BETWEEN '2026-01-01' AND '2026-06-30'),
 (SELECT count(*) FROM plan WHERE started BETWEEN '2026-01-01' AND '2026-06-30'),
 (SELECT count(*) FROM appeal WHERE received BETWEEN '2026-01-01' AND '2026-06-30'),
 (SELECT count(*) FROM attendance t JOIN gathering g ON g.id = t.gathering_id WHERE g.held BETWEEN '2026-01-01' AND '2026-06-30');
