.mode json
SELECT * FROM (
 SELECT c.id AS case_id, 'preliminary_reply' AS kind, min(r.received) AS since, date(min(r.received), '+1 month') AS due
 FROM ke_case c JOIN request q ON q.case_id = c.id JOIN referral r ON r.id = q.referral_id
 WHERE c.status <> 'closed' AND NOT EXISTS (SELECT 1 FROM standing_item s WHERE s.case_id = c.id AND s.item = q.item)
 AND NOT EXISTS (SELECT 1 FROM preliminary_reply p WHERE p.case_id = c.id)
 GROUP BY c.id HAVING date(min(r.received), '+1 month') <= '2026-11-22'
 UNION ALL SELECT c.id, 'not_notified', d.decided, d.decided FROM decision d JOIN ke_case c ON c.id = d.case_id
 WHERE c.status <> 'closed' AND d.voided IS NULL AND d.notified IS NULL
 UNION ALL SELECT c.id, 'no_coordinator', s.on_date, s.on_date FROM standing_item s JOIN ke_case c ON c.id = s.case_id
 WHERE c.status <> 'closed' AND s.outcome = 'granted' AND s.item IN ('coordinator', 'child')
 AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.case_id = c.id AND a.kind = s.item AND a.end IS NULL)
 UNION ALL SELECT a.case_id, 'not_reported', a.start, a.start FROM assignment a WHERE a.end IS NULL AND a.reported IS NULL
 UNION ALL SELECT a.case_id, 'not_registered', a.start, a.start FROM assignment a WHERE a.end IS NULL AND a.ehr_registered IS NULL AND NOT a.own_system
) ORDER BY due, case_id, kind;
