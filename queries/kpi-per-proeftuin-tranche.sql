-- id: kpi-per-proeftuin-tranche
-- titel: Kerncijfers per proeftuin, met tranche
-- definitie: Dezelfde elf kerncijfers als kpi-per-proeftuin (percentage teller/noemer per proeftuin, over de casussen van de actuele casussen-levering die binnen de gekozen periode zijn aangemeld), met de tranche en de titel van het kerncijfer erbij, voor de spreiding van elk kerncijfer over de proeftuinen van elke tranche. Een leeg ja/nee-veld is onbekend en telt niet in teller en niet in noemer; bij noemer 0 is de waarde leeg.
-- eenheid: %
-- teller: casussen die aan het kerncijfer voldoen (per kpi, zie docs/indicatoren.md)
-- noemer: casussen waarvoor het kerncijfer bepaald kan worden (per kpi, zie docs/indicatoren.md)
-- bron: ref_proeftuinen.tranche, casussen.datum_aanmelding, casussen.datum_afsluiting, casussen.vaste_professional, casussen.aantal_overdrachten, casussen.leefgebied_financien, casussen.leefgebied_wonen, casussen.leefgebied_zorg, casussen.leefgebied_gezin, casussen.leefgebied_werk, casussen.aantal_minderjarigen, casussen.verklarende_analyse, casussen.uithuisplaatsing, casussen.ervaringsdeskundige, casussen.kinderbeschermingsmaatregel, casussen.netwerkdossier, casussen.gezin_inzage, casussen.uitkomst
-- soort: tabel
-- aantallen: teller, noemer
-- verhoudingen: waarde:teller/noemer
-- groepen: kpi; kpi+tranche
-- afronden: teller, noemer
--
-- Telt kpi_tellingen op (view kpi_per_casus per proeftuin en kwartaal van aanmelding), zoals kpi-per-proeftuin.sql (een test bewaakt dezelfde getallen); de lijst kpis
-- staat hier gelijkluidend. Volgorde: tranche, proeftuin, kerncijfer.
-- waarde = 100 * teller / noemer, afgerond op 1 decimaal, half van nul af, exact gerekend in
-- gehele getallen (2000 * teller + noemer) // (2 * noemer) = round(1000 * teller / noemer), daarna / 10.
WITH kpis(nr, kpi, titel) AS (
    VALUES (1, 'vaste_professional', 'Vaste professional'),
           (2, 'zonder_overdracht', 'Zonder overdracht'),
           (3, 'brede_blik', 'Hulp op 3+ leefgebieden'),
           (4, 'zonder_minderjarigen', 'Huishoudens zonder minderjarigen'),
           (5, 'verklarende_analyse', 'Verklarende analyse'),
           (6, 'uithuisplaatsing', 'Uithuisplaatsing'),
           (7, 'ervaringsdeskundige', 'Ervaringsdeskundige betrokken'),
           (8, 'maatregel', 'Kinderbeschermingsmaatregel'),
           (9, 'netwerkdossier', 'Netwerkdossier (lopend)'),
           (10, 'gezin_inzage', 'Gezin heeft inzage (lopend)'),
           (11, 'veiligheid_hersteld', 'Veiligheid hersteld bij afsluiting')
),
gekozen AS (
    SELECT p.code AS proeftuin, p.tranche
    FROM ref_proeftuinen p
    JOIN actuele_leveringen a ON a.proeftuin = p.code AND a.soort = 'casussen'
    WHERE ($tranche::INTEGER IS NULL OR p.tranche = $tranche::INTEGER)
      AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], p.code))
),
telling AS (
    SELECT c.proeftuin, c.kpi,
           sum(c.teller) AS teller,
           sum(c.noemer) AS noemer
    FROM kpi_tellingen c
    JOIN gekozen g ON g.proeftuin = c.proeftuin
    WHERE ($van::DATE IS NULL OR c.aanmelding_kwartaal >= $van::DATE)
      AND ($tot::DATE IS NULL OR c.aanmelding_kwartaal <= $tot::DATE)
    GROUP BY c.proeftuin, c.kpi
),
uitkomst AS (
    SELECT g.tranche, g.proeftuin, k.nr, k.kpi, k.titel,
           CAST(coalesce(t.teller, 0) AS INTEGER) AS teller,
           CAST(coalesce(t.noemer, 0) AS INTEGER) AS noemer
    FROM gekozen g
    CROSS JOIN kpis k
    LEFT JOIN telling t ON t.proeftuin = g.proeftuin AND t.kpi = k.kpi
)
SELECT tranche,
       proeftuin,
       kpi,
       titel,
       teller,
       noemer,
       CASE WHEN noemer > 0
            THEN ((2000 * CAST(teller AS BIGINT) + noemer) // (2 * CAST(noemer AS BIGINT))) / 10
       END AS waarde
FROM uitkomst
ORDER BY tranche, proeftuin, nr;
