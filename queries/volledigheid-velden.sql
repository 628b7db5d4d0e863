-- id: volledigheid-velden
-- titel: Volledigheid van de niet-verplichte velden
-- definitie: Per proeftuin en niet-verplicht veld van de casussen-levering (werkgebied, aantal_overdrachten, de vijf leefgebieden en de tien ja/nee-kenmerken) het percentage casussen waarvoor het veld is ingevuld, over de casussen van de actuele casussen-levering van de proeftuin die binnen de gekozen periode zijn aangemeld. Bij 0 casussen is de waarde leeg.
-- eenheid: %
-- teller: gevuld: casussen met het veld ingevuld
-- noemer: totaal: alle casussen van de populatie
-- bron: casussen.werkgebied, casussen.aantal_overdrachten, casussen.leefgebied_financien, casussen.leefgebied_wonen, casussen.leefgebied_zorg, casussen.leefgebied_gezin, casussen.leefgebied_werk, casussen.verklarende_analyse, casussen.veiligheidsplan, casussen.volwassenen_ggz, casussen.ervaringsdeskundige, casussen.complexe_scheiding, casussen.tijdelijk_huisverbod, casussen.uithuisplaatsing, casussen.jeugdreclassering, casussen.netwerkdossier, casussen.gezin_inzage, casussen.datum_aanmelding
-- soort: tabel
-- aantallen: gevuld, totaal
-- verhoudingen: waarde:gevuld/totaal
-- groepen: veld; veld+tranche
-- afronden: gevuld, totaal
--
-- Populatie: casussen_actueel met datum_aanmelding in [van, tot] (zonder periode: alle), zoals de kerncijfers.
-- Ingevuld = niet leeg (bij ja/nee: ja of nee), geteld per proeftuin, kwartaal van aanmelding en veld in
-- volledigheid_tellingen (dashboard/schema.sql), dat deze query optelt. datum_start_hulp en datum_afsluiting horen er niet bij
-- (leeg betekent daar: nog niet gestart of nog niet afgesloten), uitkomst ook niet (verplicht bij afsluiting).
-- Elke gekozen proeftuin met een casussen-levering krijgt zeventien rijen, in de volgorde van het exportformaat.
-- waarde = 100 * gevuld / totaal, 1 decimaal, half van nul af, exact: (2000 * t + n) // (2 * n) / 10.
WITH velden(nr, veld) AS (
    VALUES (1, 'werkgebied'), (2, 'aantal_overdrachten'),
           (3, 'leefgebied_financien'), (4, 'leefgebied_wonen'), (5, 'leefgebied_zorg'),
           (6, 'leefgebied_gezin'), (7, 'leefgebied_werk'),
           (8, 'verklarende_analyse'), (9, 'veiligheidsplan'), (10, 'volwassenen_ggz'),
           (11, 'ervaringsdeskundige'), (12, 'complexe_scheiding'), (13, 'tijdelijk_huisverbod'),
           (14, 'uithuisplaatsing'), (15, 'jeugdreclassering'), (16, 'netwerkdossier'), (17, 'gezin_inzage')
),
gekozen AS (
    SELECT p.code AS proeftuin
    FROM ref_proeftuinen p
    JOIN actuele_leveringen a ON a.proeftuin = p.code AND a.soort = 'casussen'
    WHERE ($tranche::INTEGER IS NULL OR p.tranche = $tranche::INTEGER)
      AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], p.code))
),
telling AS (
    SELECT v.proeftuin, v.veld,
           sum(v.gevuld) AS gevuld,
           sum(v.totaal) AS totaal
    FROM volledigheid_tellingen v
    JOIN gekozen g ON g.proeftuin = v.proeftuin
    WHERE ($van::DATE IS NULL OR v.aanmelding_kwartaal >= $van::DATE)
      AND ($tot::DATE IS NULL OR v.aanmelding_kwartaal <= $tot::DATE)
    GROUP BY v.proeftuin, v.veld
),
uitkomst AS (
    SELECT g.proeftuin, v.nr, v.veld,
           CAST(coalesce(t.gevuld, 0) AS INTEGER) AS gevuld,
           CAST(coalesce(t.totaal, 0) AS INTEGER) AS totaal
    FROM gekozen g
    CROSS JOIN velden v
    LEFT JOIN telling t ON t.proeftuin = g.proeftuin AND t.veld = v.veld
)
SELECT proeftuin,
       veld,
       gevuld,
       totaal,
       CASE WHEN totaal > 0
            THEN ((2000 * CAST(gevuld AS BIGINT) + totaal) // (2 * CAST(totaal AS BIGINT))) / 10
       END AS waarde
FROM uitkomst
ORDER BY proeftuin, nr;
