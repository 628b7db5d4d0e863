-- id: uitstroom-per-kwartaal
-- titel: Afgesloten casussen per kwartaal
-- definitie: Aantal casussen met datum_afsluiting in het kwartaal, per proeftuin, uit de actuele casussen-levering van die proeftuin.
-- eenheid: casussen
-- teller: casussen met datum_afsluiting van de eerste t/m de laatste dag van het kwartaal
-- noemer: -
-- bron: casussen.datum_afsluiting, ref_proeftuinen.start_datum, leveringen.peildatum
-- soort: figuur
-- aantallen: afgesloten
-- groepen: tranche+kwartaal; proeftuin
-- periode: rijen
--
-- Zelfde kwartaalrijen als instroom-per-kwartaal (view proeftuin_kwartalen), nullen inbegrepen; de
-- aantallen uit kwartaal_tellingen (dashboard/schema.sql).
SELECT k.proeftuin,
       k.kwartaal,
       k.afgesloten
FROM kwartaal_tellingen k
WHERE ($tranche::INTEGER IS NULL OR k.tranche = $tranche::INTEGER)
  AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], k.proeftuin))
  AND ($van::DATE IS NULL OR k.kwartaal_start >= $van::DATE)
  AND ($tot::DATE IS NULL OR k.kwartaal_eind <= $tot::DATE)
ORDER BY k.proeftuin, k.kwartaal;
