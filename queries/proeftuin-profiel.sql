-- id: proeftuin-profiel
-- titel: Profiel van de proeftuin
-- definitie: Naam, motto (titel), tranche en startdatum met precisie en bron van elke proeftuin, uit de referentielijst die uit de factsheet is samengesteld.
-- eenheid: proeftuinen
-- teller: -
-- noemer: -
-- bron: ref_proeftuinen.code, ref_proeftuinen.naam, ref_proeftuinen.titel, ref_proeftuinen.tranche, ref_proeftuinen.start_datum, ref_proeftuinen.start_precisie, ref_proeftuinen.start_toelichting
-- soort: tabel
--
-- Geen casusgegevens, geen periodefilter. start_datum is de eerste dag van de eenheid in start_precisie
-- (tranche 1 'eind 2021' = 2021-10-01, kwartaal). Een lege titel (West-Brabant West) blijft leeg.
-- De code heet 'proeftuin', zoals in elke query: zo ziet een proeftuingebruiker alleen de eigen rij.
SELECT p.code AS proeftuin,
       p.naam,
       p.titel,
       p.tranche,
       p.start_datum,
       p.start_precisie,
       p.start_toelichting
FROM ref_proeftuinen p
WHERE ($tranche::INTEGER IS NULL OR p.tranche = $tranche::INTEGER)
  AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], p.code))
ORDER BY p.code;
