"""Writes of the registry: `people` (people, consents, guardians, participation, and the
`ensure_can_take_part` rule), `accounts` (accounts of people and login slips), `erasure`
(152-ФЗ erasure and retention) and `subject_export` (the subject access export). Callers import
the module they need."""
