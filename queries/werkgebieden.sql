-- id: werkgebieden
-- titel: Werkgebieden per proeftuin
-- definitie: De werkgebieden van elke proeftuin met begin- en einddatum en hun precisie, één rij per periode dat een werkgebied actief was (een stop en herstart zijn twee rijen), uit de referentielijst die uit de factsheet is samengesteld. Lege datum = niet bekend; lege einddatum = niet gestopt.
-- eenheid: werkgebieden
-- teller: -
-- noemer: -
-- bron: ref_werkgebieden.werkgebied, ref_werkgebieden.start_datum, ref_werkgebieden.start_precisie, ref_werkgebieden.stop_datum, ref_werkgebieden.stop_precisie, ref_werkgebieden.toelichting
-- soort: tabel
--
-- Geen casusgegevens, geen periodefilter. Een datum is de eerste dag van de eenheid in *_precisie
-- (dag, maand, kwartaal, jaar). Volgorde binnen een proeftuin: onbekende start eerst, dan op startdatum.
SELECT w.proeftuin,
       w.werkgebied,
       w.start_datum,
       w.start_precisie,
       w.stop_datum,
       w.stop_precisie,
       w.toelichting
FROM ref_werkgebieden w
JOIN ref_proeftuinen p ON p.code = w.proeftuin
WHERE ($tranche::INTEGER IS NULL OR p.tranche = $tranche::INTEGER)
  AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], p.code))
ORDER BY w.proeftuin, w.start_datum NULLS FIRST, w.werkgebied, w.stop_datum NULLS LAST;
