"""Pages of the surveys app: `questionnaires` (the list and the form builder), `campaigns`
(campaigns, responses, a person's answers) and `public` (the no-login pages of personal links,
routed by `public_urls.py`)."""
