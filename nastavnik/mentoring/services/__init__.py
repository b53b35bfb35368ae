"""Writes of the mentoring app, one module per subject: `groups` (pairs and groups), `plans`,
`meetings`, `events` (program events), `completion` (the mentor's report, completing a pair),
`pair_feedback` (the pairs' satisfaction questionnaires) and `preferences` (the preference
questionnaire of a networking meeting). Callers import the module they need."""
