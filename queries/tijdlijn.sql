-- id: tijdlijn
-- titel: Tijdlijn van de proeftuinen en hun werkgebieden
-- definitie: Per proeftuin een rij voor de proeftuin zelf (van haar startdatum, zonder einddatum) en een rij voor elke periode dat een werkgebied actief was (een stop en herstart zijn twee rijen), met begin- en einddatum en hun precisie, uit de referentielijsten die uit de factsheet zijn samengesteld. Lege begindatum = niet bekend; lege einddatum = niet gestopt.
-- eenheid: perioden
-- teller: -
-- noemer: -
-- bron: ref_proeftuinen.naam, ref_proeftuinen.tranche, ref_proeftuinen.start_datum, ref_proeftuinen.start_precisie, ref_werkgebieden.werkgebied, ref_werkgebieden.start_datum, ref_werkgebieden.start_precisie, ref_werkgebieden.stop_datum, ref_werkgebieden.stop_precisie
-- soort: figuur
--
-- soort = 'proeftuin' (onderdeel = naam van de proeftuin) of 'werkgebied' (onderdeel = naam van het
-- werkgebied). toelichting = start_toelichting van de proeftuin of de toelichting van het werkgebied.
-- Een datum is de eerste dag van de eenheid in *_precisie. Een werkgebied zonder bekende startdatum houdt
-- een lege start_datum (de figuur kan de start van de proeftuin gebruiken; de toelichting zegt dat).
-- Geen casusgegevens, geen periodefilter. Volgorde: proeftuin, eerst de proeftuinrij, dan de werkgebieden
-- op startdatum (onbekend eerst).
WITH onderdelen AS (
    SELECT p.code AS proeftuin, 0 AS volgorde, p.naam AS onderdeel,
           p.start_datum, p.start_precisie, CAST(NULL AS DATE) AS stop_datum, CAST(NULL AS VARCHAR) AS stop_precisie,
           'proeftuin' AS soort, p.start_toelichting AS toelichting
    FROM ref_proeftuinen p
    UNION ALL
    SELECT w.proeftuin, 1, w.werkgebied,
           w.start_datum, w.start_precisie, w.stop_datum, w.stop_precisie,
           'werkgebied', w.toelichting
    FROM ref_werkgebieden w
)
SELECT o.proeftuin,
       p.naam,
       p.tranche,
       o.onderdeel,
       o.start_datum,
       o.start_precisie,
       o.stop_datum,
       o.stop_precisie,
       o.soort,
       o.toelichting
FROM onderdelen o
JOIN ref_proeftuinen p ON p.code = o.proeftuin
WHERE ($tranche::INTEGER IS NULL OR p.tranche = $tranche::INTEGER)
  AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], p.code))
ORDER BY o.proeftuin, o.volgorde, o.start_datum NULLS FIRST, o.onderdeel, o.stop_datum NULLS LAST;
