"""Neighbour notification (nabovarsel) for building applications.

A building application names its neighbours. On submit, the application waits
(`awaiting_neighbours`) while each neighbour gets a notice by e-mail and as a PDF/A letter
with a personal link; through it they read the plans and answer within 14 days
(plan- og bygningsloven § 21-3). Then the application goes to the municipality with the
answers attached, and its processing deadline follows § 21-7."""
