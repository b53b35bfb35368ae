"""Pages of the mentoring app: `groups` (the list and card of pairs), `work` (one pair's plan,
meetings, feedback, report), `overview` (board, «Мой кабинет», calendars, program events) and
`surveys` (what the pairs add to the surveys app's pages)."""
