"""Toegankelijkheid: the accessibility statement, in the structure of the Dutch model statement
(toegankelijkheidsverklaring.nl): the standard, the status with how it was tested, the known
limitations and where to report a problem.

The contact for reports is the organisation's own: MONITOR_TOEGANKELIJKHEID_CONTACT (an e-mail
address or a web address); without it the page says who to ask instead of naming anyone.
"""

from __future__ import annotations

import dash
from dash import html

from dashboard import settings
from dashboard.ui.format import breakable

dash.register_page(
    __name__,
    path="/toegankelijkheid",
    name="Toegankelijkheid",
    title="Toegankelijkheid · Proeftuinmonitor",
    description="De toegankelijkheidsverklaring van de Proeftuinmonitor.",
    order=95,
    nav=False,
)

CONTACT_SETTING = "MONITOR_TOEGANKELIJKHEID_CONTACT"
CONTACT_PLACEHOLDER = settings.BY_NAME[CONTACT_SETTING].default
TESTED_ON = "29 november 2026"

# What the automated test suite checks on every page, proeftuin page, slide and filtered view.
AUTOMATED = (
    "axe-core 4.14 met de regels voor WCAG 2.1 niveau A en AA, in headless Chromium, op elke pagina, "
    "een proeftuinpagina van beide tranches, elke dia van de presentatie en gefilterde weergaven; "
    "de test faalt bij elke bevinding van de ernst 'serious' of 'critical'",
    "bediening met het toetsenbord: na een filterkeuze blijft de focus op het gekozen filter, en met Tab "
    "komt u binnen enkele stappen uit het leveringenlogboek",
    "weergave op 640 en 320 CSS-pixels breed (200% en 400% zoom): geen pagina schuift zijwaarts",
    "de dia's passen op een scherm van 1280 bij 720 pixels zonder te scrollen",
    "het contrast van elke kleur van het vaste palet (tranches, proeftuinen, statussen): tekst minstens "
    "4,5:1, lijnen, balken en markeringen minstens 3:1 tegen de witte achtergrond",
)
MANUAL = (
    "elke pagina en elke dia bekeken zoals een lid van de stuurgroep ze ziet, op 1280 bij 720 pixels, en "
    "op 640 en 320 pixels breed (schermafbeeldingen in Chromium, door het ontwikkelteam)",
)
NOT_DONE = (
    "nog geen volledige toetsenbordtest van alle pagina's door een mens: het toetsenbord is alleen getest "
    "waar de geautomatiseerde tests het doen (filters, leveringenlogboek, dia's)",
    "nog niet getest met een schermlezer (NVDA, JAWS of VoiceOver)",
    "nog geen onafhankelijk onderzoek door een externe, gespecialiseerde partij",
)
LIMITATIONS = (
    ("Figuren", "Een grafiek is voor een schermlezer een afbeelding met een korte beschrijving. De "
     "cijfers staan onder elke figuur in een tabel (knop 'Tabel') en zijn als CSV te downloaden."),
    ("Figuren met de muis", "De details bij één punt of balk verschijnen alleen als u er met de muis "
     "overheen gaat, en doorklikken naar een proeftuin of kwartaal gaat met een muisklik. Dezelfde details "
     "staan in de tabel onder de figuur, met links naar dezelfde proeftuinen en kwartalen."),
    ("Leveringenlogboek", "Het logboek is een tabel waarin u met de pijltjestoetsen door de cellen gaat; "
     "sorteren en filteren per kolom gaat met het toetsenbord, maar de schermlezer leest de "
     "kolomfilters niet overal even duidelijk voor."),
    ("Kleurverloop", "De volledigheid van de velden op de pagina IV-strategie is een kleurverloop van "
     "oranje (weinig ingevuld) naar bijna wit (alles ingevuld); de lichtste tegels halen geen 3:1 tegen de "
     "achtergrond. Het percentage staat als getal in elke tegel en in de tabel onder de figuur."),
    ("Brede tabellen", "Op een smal scherm of bij sterke vergroting schuift een brede tabel (de "
     "Leidraad-check, de tranches op gelijke leeftijd) binnen haar eigen kader zijwaarts; dat kader "
     "krijgt de focus, zodat u het met de pijltjestoetsen kunt verschuiven."),
)


def contact() -> str:
    """Where to report a problem: the organisation's setting, or the placeholder."""
    return settings.value(CONTACT_SETTING)


def _contact_line():
    value = contact()
    if "@" in value and " " not in value:
        return html.A(value, href=f"mailto:{value}")
    if value.startswith(("https://", "http://")):
        return html.A(value, href=value)
    return value


def _list(items) -> html.Ul:
    return html.Ul([html.Li(item) for item in items])


def layout(**_query):
    return html.Div([
        html.H1(breakable("Toegankelijkheidsverklaring")),
        html.P("Het landelijk programmateam van het Toekomstscenario kind- en gezinsbescherming wil dat "
               "iedereen de Proeftuinmonitor kan gebruiken, ook met een beperking. Deze verklaring zegt "
               "aan welke eisen de monitor moet voldoen, hoe ver hij daarmee is en wat nog niet goed gaat.",
               className="pm-lead"),
        html.Section([
            html.H2("De standaard"),
            html.P("De monitor moet voldoen aan de Web Content Accessibility Guidelines (WCAG) 2.1, niveau A "
                   "en AA, zoals het Besluit digitale toegankelijkheid overheid vraagt (via de Europese norm "
                   "EN 301 549)."),
        ], className="pm-section"),
        html.Section([
            html.H2("De status"),
            html.P(["De monitor voldoet gedeeltelijk aan de eisen. Hieronder staat wat er is getest en "
                    f"hoe; stand van {TESTED_ON}."]),
            html.H3("Automatisch, bij elke wijziging (in de testsuite)", className="h5"),
            _list(AUTOMATED),
            html.H3("Met de hand", className="h5"),
            _list(MANUAL),
            html.H3("Nog niet gedaan", className="h5"),
            _list(NOT_DONE),
        ], className="pm-section", id="status"),
        html.Section([
            html.H2("Bekende beperkingen (onvolkomenheden)"),
            html.Dl([part for title, text in LIMITATIONS for part in (html.Dt(title), html.Dd(text))]),
        ], className="pm-section", id="beperkingen"),
        html.Section([
            html.H2("Een probleem melden"),
            html.P(["Loopt u tegen een probleem aan, of kunt u iets niet gebruiken? Meld het bij ",
                    html.Span(_contact_line(), id="toegankelijkheid-contact"),
                    ". Zeg op welke pagina het was en wat u probeerde; u krijgt binnen vijf werkdagen "
                    "antwoord. Bent u niet tevreden over de afhandeling, dan kunt u zich wenden tot de "
                    "Nationale ombudsman."]),
        ], className="pm-section", id="melden"),
    ])
