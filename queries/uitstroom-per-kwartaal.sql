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
-- Zelfde kwartaalrijen als instroom-per-kwartaal (view proeftuin_kwartalen), nullen inbegrepen.
SELECT k.proeftuin,
       k.kwartaal,
       CAST(count(c.casus_id) AS INTEGER) AS afgesloten
FROM proeftuin_kwartalen k
LEFT JOIN casussen_actueel c
       ON c.proeftuin = k.proeftuin
      AND c.datum_afsluiting BETWEEN k.kwartaal_start AND k.kwartaal_eind
WHERE ($tranche::INTEGER IS NULL OR k.tranche = $tranche::INTEGER)
  AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], k.proeftuin))
  AND ($van::DATE IS NULL OR k.kwartaal_start >= $van::DATE)
  AND ($tot::DATE IS NULL OR k.kwartaal_eind <= $tot::DATE)
GROUP BY k.proeftuin, k.kwartaal
ORDER BY k.proeftuin, k.kwartaal;
