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
    verwijderd_door VARCHAR, verwijderd_op TIMESTAMP
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
