"""One party across jurisdictions: its status per jurisdiction as of a date (``status``),
where jurisdictions disagree (``divergence``), how lists grew over time (``timeline``) and
the dated real-world events shown beside them (``events``)."""
