.mode json
SELECT c.id, c.id AS person, c.status, c.unit_id, u.name, a.coordinator_id, k.name, b.coordinator_id, kb.name, pl.status, pl.next_evaluation
 FROM ke_case c JOIN person p ON p.id = c.person_id LEFT JOIN unit u ON u.id = c.unit_id
 LEFT JOIN assignment a ON a.case_id = c.id AND a.kind = 'coordinator' AND a.end IS NULL
 LEFT JOIN coordinator k ON k.id = a.coordinator_id
 LEFT JOIN assignment b ON b.case_id = c.id AND b.kind = 'child' AND b.end IS NULL
 LEFT JOIN coordinator kb ON kb.id = b.coordinator_id
 LEFT JOIN plan pl ON pl.case_id = c.id WHERE c.status <> 'closed' ORDER BY c.id;
