-- id: doorlooptijd-per-proeftuin
-- titel: Doorlooptijden per proeftuin
-- definitie: Mediaan aantal dagen van aanmelding tot start van de hulp (casussen met datum_start_hulp) en mediaan aantal dagen van aanmelding tot afsluiting (afgesloten casussen), per proeftuin, over de casussen van de actuele casussen-levering die binnen de gekozen periode zijn aangemeld.
-- eenheid: dagen
-- teller: -
-- noemer: aantal_gestart: casussen met datum_start_hulp; aantal_afgesloten: casussen met datum_afsluiting
-- bron: casussen.datum_aanmelding, casussen.datum_start_hulp, casussen.datum_afsluiting
-- soort: tabel
-- aantallen: aantal_gestart, aantal_afgesloten
-- verhoudingen: mediaan_dagen_tot_start:/aantal_gestart, mediaan_duur_afgesloten:/aantal_afgesloten
-- groepen: tranche
-- afronden: aantal_gestart, aantal_afgesloten
--
-- Mediaan = quantile_cont(dagen, 0.5): bij een even aantal het gemiddelde van de twee middelste
-- waarden (bijvoorbeeld 9 en 10 geeft 9.5). Leeg als er geen casussen zijn om over te rekenen.
-- Dagen = date_diff('day', datum_aanmelding, latere datum); dezelfde dag telt als 0.
-- De mediaan wordt afgelezen uit doorlooptijd_verdeling (dashboard/schema.sql): per proeftuin, kwartaal van
-- aanmelding en maat het aantal casussen per aantal dagen. Van n waarden op volgorde (vanaf 0) liggen de twee
-- middelste op plaats (n - 1) // 2 en n // 2 (bij oneven n dezelfde); eerder = aantal casussen met minder dagen.
WITH gekozen AS (
    SELECT p.code AS proeftuin
    FROM ref_proeftuinen p
    JOIN actuele_leveringen a ON a.proeftuin = p.code AND a.soort = 'casussen'
    WHERE ($tranche::INTEGER IS NULL OR p.tranche = $tranche::INTEGER)
      AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], p.code))
),
verdeling AS (
    SELECT d.proeftuin, d.maat, d.dagen, sum(d.aantal) AS aantal
    FROM doorlooptijd_verdeling d
    JOIN gekozen g ON g.proeftuin = d.proeftuin
    WHERE ($van::DATE IS NULL OR d.aanmelding_kwartaal >= $van::DATE)
      AND ($tot::DATE IS NULL OR d.aanmelding_kwartaal <= $tot::DATE)
    GROUP BY d.proeftuin, d.maat, d.dagen
),
rangen AS (
    SELECT proeftuin, maat, dagen, aantal,
           sum(aantal) OVER (PARTITION BY proeftuin, maat ORDER BY dagen) - aantal AS eerder,
           sum(aantal) OVER (PARTITION BY proeftuin, maat) AS n
    FROM verdeling
),
mediaan AS (
    SELECT proeftuin, maat, any_value(n) AS n,
           (CAST(min(dagen) FILTER (WHERE eerder <= (n - 1) // 2 AND (n - 1) // 2 < eerder + aantal) AS DOUBLE)
            + CAST(min(dagen) FILTER (WHERE eerder <= n // 2 AND n // 2 < eerder + aantal) AS DOUBLE)) / 2
               AS mediaan
    FROM rangen
    GROUP BY proeftuin, maat
)
SELECT g.proeftuin,
       s.mediaan AS mediaan_dagen_tot_start,
       CAST(coalesce(s.n, 0) AS INTEGER) AS aantal_gestart,
       a.mediaan AS mediaan_duur_afgesloten,
       CAST(coalesce(a.n, 0) AS INTEGER) AS aantal_afgesloten
FROM gekozen g
LEFT JOIN mediaan s ON s.proeftuin = g.proeftuin AND s.maat = 'tot_start'
LEFT JOIN mediaan a ON a.proeftuin = g.proeftuin AND a.maat = 'afgesloten'
ORDER BY g.proeftuin;
