"""Reads of the registry for pages and reports, over the access layer: `people` (the registry
list, organisation overviews, a program's people) `accounts` (who has or needs an account) and `staff` (the «Сотрудники и роли» pages)."""
