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

-- Per case of each proeftuin's current casussen delivery and per KPI: whether it counts in the
-- teller (t) and in the noemer (n). The one place the fixed KPI definitions of
-- docs/indicatoren.md are written in SQL; the kpi-*.sql queries filter and add up.
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
),
per_casus AS (
    SELECT proeftuin, datum_aanmelding, unnest([
        {kpi: 'vaste_professional', t: vaste_professional IS TRUE, n: vaste_professional IS NOT NULL},
        {kpi: 'zonder_overdracht', t: afgesloten AND aantal_overdrachten = 0,
                                   n: afgesloten AND aantal_overdrachten IS NOT NULL},
        {kpi: 'brede_blik', t: leefgebieden_gevuld AND leefgebieden_ja >= 3, n: leefgebieden_gevuld},
        {kpi: 'zonder_minderjarigen', t: aantal_minderjarigen = 0, n: true},
        {kpi: 'verklarende_analyse', t: verklarende_analyse IS TRUE, n: verklarende_analyse IS NOT NULL},
        {kpi: 'uithuisplaatsing', t: uithuisplaatsing IS TRUE, n: uithuisplaatsing IS NOT NULL},
        {kpi: 'ervaringsdeskundige', t: ervaringsdeskundige IS TRUE, n: ervaringsdeskundige IS NOT NULL},
        {kpi: 'maatregel', t: kinderbeschermingsmaatregel <> 'geen', n: true},
        {kpi: 'netwerkdossier', t: NOT afgesloten AND netwerkdossier IS TRUE,
                                n: NOT afgesloten AND netwerkdossier IS NOT NULL},
        {kpi: 'gezin_inzage', t: NOT afgesloten AND gezin_inzage IS TRUE,
                              n: NOT afgesloten AND gezin_inzage IS NOT NULL},
        {kpi: 'veiligheid_hersteld', t: afgesloten AND uitkomst = 'veiligheid_hersteld', n: afgesloten}
    ]) AS m
    FROM populatie
)
SELECT proeftuin, datum_aanmelding, m.kpi AS kpi, m.t AS t, m.n AS n FROM per_casus;

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
