"""Writes of the surveys app, one module per subject: `questionnaires` (questionnaires, their
versions, sections and questions), `campaigns` (campaigns, deadlines, recipients), `links`
(personal links and the e-mails that carry them) and `responses` (answers and whole forms).
Callers import the module they need."""
