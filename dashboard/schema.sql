-- The schema of a snapshot. Every new snapshot is created from this file and filled from the
-- previous one (INSERT ... BY NAME), so a column added here reaches old data as NULL.

CREATE TABLE ref_proeftuinen (
    code VARCHAR PRIMARY KEY, naam VARCHAR, titel VARCHAR, tranche INTEGER,
    start_datum DATE, start_precisie VARCHAR, start_toelichting VARCHAR
);
CREATE TABLE ref_werkgebieden (
    proeftuin VARCHAR, werkgebied VARCHAR, start_datum DATE, start_precisie VARCHAR,
    stop_datum DATE, stop_precisie VARCHAR, toelichting VARCHAR
);
CREATE TABLE ref_themas (code VARCHAR PRIMARY KEY, label VARCHAR, soort VARCHAR);
CREATE TABLE ref_thema_toewijzing (proeftuin VARCHAR, thema VARCHAR, bron VARCHAR);
CREATE TABLE ref_leefgebieden (code VARCHAR PRIMARY KEY, label VARCHAR);
CREATE TABLE ref_rvt_eisen (
    code VARCHAR PRIMARY KEY, label VARCHAR, organisatie VARCHAR, rol VARCHAR,
    toelichting VARCHAR, verplicht VARCHAR
);

-- What this snapshot was built from: the fingerprint of this schema and the reference data.
CREATE TABLE meta (sleutel VARCHAR PRIMARY KEY, waarde VARCHAR);

CREATE TABLE leveringen (
    levering_id INTEGER PRIMARY KEY,
    proeftuin VARCHAR, soort VARCHAR, periode VARCHAR, peildatum DATE,
    bestandsnaam VARCHAR, checksum VARCHAR, formaat VARCHAR,
    ontvangen DATE, verwerkt_op TIMESTAMP,
    rijen INTEGER, status VARCHAR, aantal_fouten INTEGER, aantal_waarschuwingen INTEGER,
    formaat_versie VARCHAR, demo BOOLEAN, in_gebruik BOOLEAN,
    verwijderd_door VARCHAR, verwijderd_op TIMESTAMP,
    ontvangen_door VARCHAR  -- who uploaded it on /aanleveren; NULL for the command line
);

CREATE TABLE casussen (
    levering_id INTEGER, proeftuin VARCHAR, casus_id VARCHAR, werkgebied VARCHAR,
    datum_aanmelding DATE, datum_start_hulp DATE, datum_afsluiting DATE,
    instroomroute VARCHAR, aantal_minderjarigen INTEGER, aantal_volwassenen INTEGER,
    vaste_professional BOOLEAN, werkwijze VARCHAR, aantal_overdrachten INTEGER,
    leefgebied_financien BOOLEAN, leefgebied_wonen BOOLEAN, leefgebied_zorg BOOLEAN,
    leefgebied_gezin BOOLEAN, leefgebied_werk BOOLEAN,
    verklarende_analyse BOOLEAN, veiligheidsplan BOOLEAN, volwassenen_ggz BOOLEAN,
    ervaringsdeskundige BOOLEAN, complexe_scheiding BOOLEAN, tijdelijk_huisverbod BOOLEAN,
    uithuisplaatsing BOOLEAN, jeugdreclassering BOOLEAN, netwerkdossier BOOLEAN, gezin_inzage BOOLEAN,
    kinderbeschermingsmaatregel VARCHAR, uitkomst VARCHAR
);
CREATE TABLE teamleden (
    levering_id INTEGER, proeftuin VARCHAR, team VARCHAR, organisatie VARCHAR, rol VARCHAR,
    fte DOUBLE, datum_start DATE, datum_einde DATE
);
CREATE TABLE themas (levering_id INTEGER, proeftuin VARCHAR, thema VARCHAR, status VARCHAR, jaar INTEGER);

-- The error report (Dutch Excel CSV) of each delivery with errors or warnings: kept in the
-- snapshot, so a report is published together with the log line it belongs to.
CREATE TABLE foutrapporten (levering_id INTEGER PRIMARY KEY, rapport BLOB);

-- Which delivery is current per proeftuin and soort: the accepted one in force with the latest
-- period; within a period the last received (in_gebruik already picks that one).
CREATE VIEW actuele_leveringen AS
SELECT proeftuin, soort, levering_id, periode, peildatum
FROM (
    SELECT *, row_number() OVER (PARTITION BY proeftuin, soort ORDER BY periode DESC, levering_id DESC) AS nr
    FROM leveringen WHERE in_gebruik
) WHERE nr = 1;

CREATE VIEW casussen_actueel AS
SELECT c.* FROM casussen c
JOIN actuele_leveringen a ON a.levering_id = c.levering_id AND a.soort = 'casussen';

CREATE VIEW teamleden_actueel AS
SELECT t.* FROM teamleden t
JOIN actuele_leveringen a ON a.levering_id = t.levering_id AND a.soort = 'teamleden';

CREATE VIEW themas_actueel AS
SELECT t.* FROM themas t
JOIN actuele_leveringen a ON a.levering_id = t.levering_id AND a.soort = 'themas';

-- Per case of each proeftuin's current casussen delivery, one column per KPI: whether the case
-- counts in its teller (t) and in its noemer (n). The one place the fixed KPI definitions of
-- docs/indicatoren.md are written in SQL; kpi_tellingen adds them up, whatever columns stand here.
-- One column per KPI rather than a row per case and KPI: adding up eleven columns of a million
-- cases takes a fifth of the time of adding up eleven million rows (measured at 1M cases).
CREATE VIEW kpi_per_casus AS
WITH populatie AS (
    SELECT c.*,
           c.datum_afsluiting IS NOT NULL AS afgesloten,
           c.leefgebied_financien IS NOT NULL AND c.leefgebied_wonen IS NOT NULL
               AND c.leefgebied_zorg IS NOT NULL AND c.leefgebied_gezin IS NOT NULL
               AND c.leefgebied_werk IS NOT NULL AS leefgebieden_gevuld,
           CAST(c.leefgebied_financien IS TRUE AS INTEGER) + CAST(c.leefgebied_wonen IS TRUE AS INTEGER)
               + CAST(c.leefgebied_zorg IS TRUE AS INTEGER) + CAST(c.leefgebied_gezin IS TRUE AS INTEGER)
               + CAST(c.leefgebied_werk IS TRUE AS INTEGER) AS leefgebieden_ja
    FROM casussen_actueel c
)
SELECT proeftuin, datum_aanmelding,
       {t: vaste_professional IS TRUE, n: vaste_professional IS NOT NULL} AS vaste_professional,
       {t: afgesloten AND aantal_overdrachten = 0, n: afgesloten AND aantal_overdrachten IS NOT NULL}
           AS zonder_overdracht,
       {t: leefgebieden_gevuld AND leefgebieden_ja >= 3, n: leefgebieden_gevuld} AS brede_blik,
       {t: aantal_minderjarigen = 0, n: true} AS zonder_minderjarigen,
       {t: verklarende_analyse IS TRUE, n: verklarende_analyse IS NOT NULL} AS verklarende_analyse,
       {t: uithuisplaatsing IS TRUE, n: uithuisplaatsing IS NOT NULL} AS uithuisplaatsing,
       {t: ervaringsdeskundige IS TRUE, n: ervaringsdeskundige IS NOT NULL} AS ervaringsdeskundige,
       {t: kinderbeschermingsmaatregel <> 'geen', n: true} AS maatregel,
       {t: NOT afgesloten AND netwerkdossier IS TRUE, n: NOT afgesloten AND netwerkdossier IS NOT NULL}
           AS netwerkdossier,
       {t: NOT afgesloten AND gezin_inzage IS TRUE, n: NOT afgesloten AND gezin_inzage IS NOT NULL} AS gezin_inzage,
       {t: afgesloten AND uitkomst = 'veiligheid_hersteld', n: afgesloten} AS veiligheid_hersteld
FROM populatie;

-- Every quarter from the proeftuin's start quarter to the peildatum of its current casussen
-- delivery. maand_sinds_start counts months from the start month (month 0) to the quarter's end.
CREATE VIEW proeftuin_kwartalen AS
SELECT p.code AS proeftuin, p.tranche,
       strftime(q.kwartaal_start, '%Y') || '-Q' || CAST(quarter(q.kwartaal_start) AS VARCHAR) AS kwartaal,
       CAST(q.kwartaal_start AS DATE) AS kwartaal_start,
       CAST(q.kwartaal_start + INTERVAL 3 MONTH - INTERVAL 1 DAY AS DATE) AS kwartaal_eind,
       CAST(date_diff('month', date_trunc('month', p.start_datum), q.kwartaal_start + INTERVAL 2 MONTH) AS INTEGER)
           AS maand_sinds_start
FROM ref_proeftuinen p
JOIN actuele_leveringen a ON a.proeftuin = p.code AND a.soort = 'casussen'
CROSS JOIN LATERAL (
    SELECT unnest(generate_series(CAST(date_trunc('quarter', p.start_datum) AS TIMESTAMP),
                                  CAST(date_trunc('quarter', a.peildatum) AS TIMESTAMP),
                                  INTERVAL 3 MONTH)) AS kwartaal_start
) q;

-- Aggregates: what the figure queries read instead of the case rows, so that a page costs the
-- same at a thousand cases as at ten million (docs/benchmarks.md). dashboard/aggregates.py stores
-- each as a table of the same name in every published snapshot. Their size depends on
-- proeftuinen x quarters x categories, never on the number of cases. The period filter of the
-- figures ($van, $tot) always falls on quarter bounds, so a case's quarter of registration
-- (aanmelding_kwartaal, the first day of that quarter) decides exactly what a date comparison
-- would decide.

-- Per proeftuin and quarter of proeftuin_kwartalen: registered in, closed in, registered up to
-- and running at the end of the quarter, and of those running the netwerkdossier counts. The
-- cases are first counted per quarter of registration and of closing (a few thousand groups), so
-- the join with the quarters never sees a case row. "Registered on or before the quarter's last
-- day" is "registered in that quarter or an earlier one", and "closed after its last day" is
-- "closed in a later quarter".
CREATE VIEW kwartaal_tellingen AS
WITH groepen AS (
    SELECT proeftuin,
           CAST(date_trunc('quarter', datum_aanmelding) AS DATE) AS aanmelding_kwartaal,
           CAST(date_trunc('quarter', datum_afsluiting) AS DATE) AS afsluiting_kwartaal,
           netwerkdossier, gezin_inzage,
           count(casus_id) AS aantal
    FROM casussen_actueel
    GROUP BY ALL
),
per_kwartaal AS (
    SELECT k.proeftuin, k.kwartaal_start,
           sum(g.aantal) FILTER (WHERE g.aanmelding_kwartaal = k.kwartaal_start) AS aangemeld,
           sum(g.aantal) FILTER (WHERE g.afsluiting_kwartaal = k.kwartaal_start) AS afgesloten,
           sum(g.aantal) FILTER (WHERE g.aanmelding_kwartaal <= k.kwartaal_start) AS cumulatief_aangemeld,
           sum(g.aantal) FILTER (WHERE g.aanmelding_kwartaal <= k.kwartaal_start
                                   AND (g.afsluiting_kwartaal IS NULL OR g.afsluiting_kwartaal > k.kwartaal_start))
               AS lopend,
           sum(g.aantal) FILTER (WHERE g.aanmelding_kwartaal <= k.kwartaal_start
                                   AND (g.afsluiting_kwartaal IS NULL OR g.afsluiting_kwartaal > k.kwartaal_start)
                                   AND g.netwerkdossier IS NOT NULL) AS lopend_met_netwerkdossier,
           sum(g.aantal) FILTER (WHERE g.aanmelding_kwartaal <= k.kwartaal_start
                                   AND (g.afsluiting_kwartaal IS NULL OR g.afsluiting_kwartaal > k.kwartaal_start)
                                   AND g.netwerkdossier) AS lopend_netwerkdossier,
           sum(g.aantal) FILTER (WHERE g.aanmelding_kwartaal <= k.kwartaal_start
                                   AND (g.afsluiting_kwartaal IS NULL OR g.afsluiting_kwartaal > k.kwartaal_start)
                                   AND g.gezin_inzage IS NOT NULL) AS lopend_met_gezin_inzage,
           sum(g.aantal) FILTER (WHERE g.aanmelding_kwartaal <= k.kwartaal_start
                                   AND (g.afsluiting_kwartaal IS NULL OR g.afsluiting_kwartaal > k.kwartaal_start)
                                   AND g.gezin_inzage) AS lopend_gezin_inzage
    FROM proeftuin_kwartalen k
    JOIN groepen g ON g.proeftuin = k.proeftuin
    GROUP BY k.proeftuin, k.kwartaal_start
)
SELECT k.proeftuin, k.tranche, k.kwartaal, k.kwartaal_start, k.kwartaal_eind, k.maand_sinds_start,
       CAST(coalesce(t.aangemeld, 0) AS INTEGER) AS aangemeld,
       CAST(coalesce(t.afgesloten, 0) AS INTEGER) AS afgesloten,
       CAST(coalesce(t.cumulatief_aangemeld, 0) AS INTEGER) AS cumulatief_aangemeld,
       CAST(coalesce(t.lopend, 0) AS INTEGER) AS lopend,
       CAST(coalesce(t.lopend_met_netwerkdossier, 0) AS INTEGER) AS lopend_met_netwerkdossier,
       CAST(coalesce(t.lopend_netwerkdossier, 0) AS INTEGER) AS lopend_netwerkdossier,
       CAST(coalesce(t.lopend_met_gezin_inzage, 0) AS INTEGER) AS lopend_met_gezin_inzage,
       CAST(coalesce(t.lopend_gezin_inzage, 0) AS INTEGER) AS lopend_gezin_inzage
FROM proeftuin_kwartalen k
LEFT JOIN per_kwartaal t ON t.proeftuin = k.proeftuin AND t.kwartaal_start = k.kwartaal_start;

-- Teller and noemer of each fixed KPI (a column of kpi_per_casus) per proeftuin and quarter of
-- registration: counted per column in one pass over the cases, then one row per KPI.
CREATE VIEW kpi_tellingen AS
WITH telling AS (
    SELECT proeftuin,
           CAST(date_trunc('quarter', datum_aanmelding) AS DATE) AS aanmelding_kwartaal,
           {teller: count_if(COLUMNS(* EXCLUDE (proeftuin, datum_aanmelding)).t),
            noemer: count_if(COLUMNS(* EXCLUDE (proeftuin, datum_aanmelding)).n)}
    FROM kpi_per_casus
    GROUP BY ALL
)
SELECT proeftuin, aanmelding_kwartaal, kpi, aantallen.teller AS teller, aantallen.noemer AS noemer
FROM (
    UNPIVOT telling
    ON COLUMNS(* EXCLUDE (proeftuin, aanmelding_kwartaal))
    INTO NAME kpi VALUE aantallen
);

-- Per proeftuin, quarter of registration and optional field of the casussen delivery: how many
-- cases have it filled, of how many. Filled = not empty (a yes/no field: yes or no). Counted in
-- one pass over the cases, then one row per field.
CREATE VIEW volledigheid_tellingen AS
WITH telling AS (
    SELECT proeftuin,
           CAST(date_trunc('quarter', datum_aanmelding) AS DATE) AS aanmelding_kwartaal,
           count(*) AS totaal,
           count(nullif(trim(werkgebied), '')) AS werkgebied,
           count(aantal_overdrachten) AS aantal_overdrachten,
           count(leefgebied_financien) AS leefgebied_financien,
           count(leefgebied_wonen) AS leefgebied_wonen,
           count(leefgebied_zorg) AS leefgebied_zorg,
           count(leefgebied_gezin) AS leefgebied_gezin,
           count(leefgebied_werk) AS leefgebied_werk,
           count(verklarende_analyse) AS verklarende_analyse,
           count(veiligheidsplan) AS veiligheidsplan,
           count(volwassenen_ggz) AS volwassenen_ggz,
           count(ervaringsdeskundige) AS ervaringsdeskundige,
           count(complexe_scheiding) AS complexe_scheiding,
           count(tijdelijk_huisverbod) AS tijdelijk_huisverbod,
           count(uithuisplaatsing) AS uithuisplaatsing,
           count(jeugdreclassering) AS jeugdreclassering,
           count(netwerkdossier) AS netwerkdossier,
           count(gezin_inzage) AS gezin_inzage
    FROM casussen_actueel
    GROUP BY ALL
)
SELECT proeftuin, aanmelding_kwartaal, v.veld AS veld, v.gevuld AS gevuld, totaal
FROM (
    UNPIVOT telling
    ON COLUMNS(* EXCLUDE (proeftuin, aanmelding_kwartaal, totaal))
    INTO NAME veld VALUE gevuld
) v;

-- The distribution of the days from registration to the start of help (maat 'tot_start') and to
-- closing ('afgesloten') per proeftuin and quarter of registration: a median cannot be added up
-- over quarters, a count per number of days can (doorlooptijd-per-proeftuin reads the median off
-- it). Its size is bounded by the days between registration and peildatum, not by the cases.
CREATE VIEW doorlooptijd_verdeling AS
WITH casus AS (
    SELECT proeftuin,
           CAST(date_trunc('quarter', datum_aanmelding) AS DATE) AS aanmelding_kwartaal,
           CAST(date_diff('day', datum_aanmelding, datum_start_hulp) AS INTEGER) AS tot_start,
           CAST(date_diff('day', datum_aanmelding, datum_afsluiting) AS INTEGER) AS afgesloten
    FROM casussen_actueel
)
SELECT proeftuin, aanmelding_kwartaal, 'tot_start' AS maat, tot_start AS dagen, count(*) AS aantal
FROM casus WHERE tot_start IS NOT NULL GROUP BY ALL
UNION ALL
SELECT proeftuin, aanmelding_kwartaal, 'afgesloten' AS maat, afgesloten AS dagen, count(*) AS aantal
FROM casus WHERE afgesloten IS NOT NULL GROUP BY ALL;
