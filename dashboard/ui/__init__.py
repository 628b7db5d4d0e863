"""The UI building blocks every page is made of, one concern per module.

Every page builds its figures server-side from the query string, so a copied link reproduces
the view and the browser's back button returns to the previous one. The only callbacks are the
shared ones in `callbacks` (filter controls -> new URL, and the one download callback).

Modules (import them directly; this package re-exports nothing, and `vocab` and `format` load
without Dash, so the spreadsheet export can use them):

- `view`: the View in the URL (`view_from_query`, `View.search`/`href`), `param_id(name)` for a
  control whose value goes into the URL, `search_for_controls`.
- `data`: `card_data(figure_id, view, filters=None)` (figure_data, protection applied, always
  protected in presentation mode), `quarters()`, `latest_quarter`, `previous_quarter`, `data_dir`,
  `proeftuinen_in(filters)`, `proeftuinen_listed(codes)`.
- `format`: Dutch numbers and dates (`format_nl`, `format_percent_nl`, `format_date_nl`,
  `format_date_long_nl`, `precise_date`, `to_date`), `shown(v)` ('<5' as is), `format_cell`,
  `breakable`.
- `vocab`: the colour, mark and label of every status, tranche, proeftuin, organisation and
  role; nothing else names a colour of meaning.
- `charts`: the plotly template, `graph_config`, `empty_figure`, `plain_figure`, `numbers(series)`
  and `number(value)` ('<5' and None draw nothing), `quarter_axis`, `year_axis`, `percent_axis`,
  `end_labels`, `presentation_style`, row heights.
- `tables`: `data_table(df, columns)`, `scroll_region(table, label)`.
- `filters`: `filter_bar(view, controls=[...])` (None in presentation mode; `tranche=`,
  `proeftuinen=`, `periode=` leave controls out), `param_radio`.
- `cards`: `page_header`, `figure_card(figure_id, view, build, Card(...), filters=, key=, data=)`,
  `sum_basis`, `download_button`, `no_data_message`, `no_selection_message`, `unavailable_card`,
  `own_graph_height`.
- `kpi`: `kpi_cards(view, ...)`: the key figures as cards with the change against the quarter
  before; `kpi_basis`.
- `callbacks`: `register_callbacks(app)`, called once by create_app.

The cards a slide shows live in dashboard/figures/ (see there), not in the page modules.

A page module (layout only, no SQL, no callbacks needed)::

    import dash
    from dashboard.ui.cards import Card, figure_card, page_header, sum_basis
    from dashboard.ui.filters import filter_bar, param_radio
    from dashboard.ui.view import view_from_query

    EXTRA = {"tijd": ("leeftijd", "kalender")}   # page toggles: allowed values, first = default
    dash.register_page(__name__, path="/tranches", name="Tranches", order=1,
                       title="Tranches · Proeftuinmonitor", view_extra=EXTRA)

    def layout(**query):
        view = view_from_query(query, EXTRA)
        toggle = param_radio("tijd", "Tijdas", [("leeftijd", "Maanden sinds start"),
                                                ("kalender", "Kalendertijd")], view)
        return html.Div([
            page_header("Tranches", "Tranche 1 naast tranche 2.", view),
            filter_bar(view, controls=[toggle]),          # None in presentation mode
            figure_card("instroom-per-kwartaal", view, build_my_figure,
                        Card(basis=sum_basis("aangemeld", "aangemelde casussen"))),
        ])

    def build_my_figure(fd: FigureData) -> dict:   # or any Dash component (a table)
        ...                                              # fd.df may hold '<5' strings and None

`register_page` keys read here: `order` (navigation order), `nav=False` (leave out of the
navigation), `view_extra` (the page's toggles, as passed to `view_from_query`).
"""
