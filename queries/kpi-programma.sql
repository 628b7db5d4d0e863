-- id: kpi-programma
-- titel: Kerncijfers van het programma
-- definitie: Elf kerncijfers over alle gekozen proeftuinen samen: teller en noemer opgeteld over de proeftuinen, de waarde opnieuw berekend als percentage; per proeftuin de casussen van de actuele casussen-levering die binnen de gekozen periode zijn aangemeld. Een leeg ja/nee-veld is onbekend en telt niet in teller en niet in noemer; bij noemer 0 is de waarde leeg.
-- eenheid: %
-- teller: casussen die aan het kerncijfer voldoen (per kpi, zie docs/indicatoren.md)
-- noemer: casussen waarvoor het kerncijfer bepaald kan worden (per kpi, zie docs/indicatoren.md)
-- bron: casussen.datum_aanmelding, casussen.datum_afsluiting, casussen.vaste_professional, casussen.aantal_overdrachten, casussen.leefgebied_financien, casussen.leefgebied_wonen, casussen.leefgebied_zorg, casussen.leefgebied_gezin, casussen.leefgebied_werk, casussen.aantal_minderjarigen, casussen.verklarende_analyse, casussen.uithuisplaatsing, casussen.ervaringsdeskundige, casussen.kinderbeschermingsmaatregel, casussen.netwerkdossier, casussen.gezin_inzage, casussen.uitkomst
-- soort: kpi
-- aantallen: teller, noemer
-- verhoudingen: waarde:teller/noemer
-- afronden: teller, noemer
--
-- Populatie: casussen_actueel met datum_aanmelding in [van, tot] (zonder periode: alle).
-- Per casus en kpi (view kpi_per_casus in dashboard/schema.sql): t = telt in de teller, n = in de noemer;
-- opgeteld per proeftuin en kwartaal van aanmelding in kpi_tellingen, dat deze query leest. De periode valt
-- altijd op kwartaalgrenzen, dus het kwartaal van aanmelding beslist precies wat de datum zou beslissen.
-- waarde = 100 * teller / noemer, afgerond op 1 decimaal, half van nul af, exact gerekend in
-- gehele getallen (2000 * teller + noemer) // (2 * noemer) = round(1000 * teller / noemer), daarna / 10.
-- (ROUND op een DOUBLE rondt de binaire benadering af: 100.0 * 7 / 2000 = 0.35 wordt dan 0.3.)
-- Zelfde berekening als kpi-per-proeftuin.sql, daarna opgeteld; de lijst kpis staat daar gelijkluidend
-- (een test bewaakt dat). Geen rijen als geen enkele gekozen proeftuin een casussen-levering heeft.
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
    SELECT p.code AS proeftuin
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
per_proeftuin AS (
    SELECT g.proeftuin, k.nr, k.kpi, k.titel,
           coalesce(t.teller, 0) AS teller,
           coalesce(t.noemer, 0) AS noemer
    FROM gekozen g
    CROSS JOIN kpis k
    LEFT JOIN telling t ON t.proeftuin = g.proeftuin AND t.kpi = k.kpi
),
uitkomst AS (
    SELECT nr, kpi, titel,
           CAST(sum(teller) AS INTEGER) AS teller,
           CAST(sum(noemer) AS INTEGER) AS noemer
    FROM per_proeftuin
    GROUP BY nr, kpi, titel
)
SELECT kpi,
       titel,
       teller,
       noemer,
       CASE WHEN noemer > 0
            THEN ((2000 * CAST(teller AS BIGINT) + noemer) // (2 * CAST(noemer AS BIGINT))) / 10
       END AS waarde
FROM uitkomst
ORDER BY nr;
