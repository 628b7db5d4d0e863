"""Card builders that are both part of a page and a slide of the presentation.

A page module is loaded by Dash itself (`use_pages` executes every file in dashboard/pages/ and
registers it), so no other module may import one: it would register the page a second time. The
cards a slide shows therefore live here, one module per page, and both the page and
dashboard/pages/presentatie.py import them. Each builder takes the View and returns a card.
"""
