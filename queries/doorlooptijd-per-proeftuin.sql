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
WITH gekozen AS (
    SELECT p.code AS proeftuin
    FROM ref_proeftuinen p
    JOIN actuele_leveringen a ON a.proeftuin = p.code AND a.soort = 'casussen'
    WHERE ($tranche::INTEGER IS NULL OR p.tranche = $tranche::INTEGER)
      AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], p.code))
),
populatie AS (
    SELECT c.proeftuin,
           date_diff('day', c.datum_aanmelding, c.datum_start_hulp) AS dagen_tot_start,
           date_diff('day', c.datum_aanmelding, c.datum_afsluiting) AS duur_afgesloten
    FROM casussen_actueel c
    JOIN gekozen g ON g.proeftuin = c.proeftuin
    WHERE ($van::DATE IS NULL OR c.datum_aanmelding >= $van::DATE)
      AND ($tot::DATE IS NULL OR c.datum_aanmelding <= $tot::DATE)
)
SELECT g.proeftuin,
       quantile_cont(p.dagen_tot_start, 0.5) AS mediaan_dagen_tot_start,
       CAST(count(p.dagen_tot_start) AS INTEGER) AS aantal_gestart,
       quantile_cont(p.duur_afgesloten, 0.5) AS mediaan_duur_afgesloten,
       CAST(count(p.duur_afgesloten) AS INTEGER) AS aantal_afgesloten
FROM gekozen g
LEFT JOIN populatie p ON p.proeftuin = g.proeftuin
GROUP BY g.proeftuin
ORDER BY g.proeftuin;
