-- id: instroom-per-tranche
-- titel: Aangemelde casussen per kwartaal, per tranche
-- definitie: Aantal casussen met datum_aanmelding in het kwartaal, opgeteld over de gekozen proeftuinen van de tranche, elk uit de actuele casussen-levering van die proeftuin. Een kwartaal staat erin als het voor minstens één proeftuin van de tranche tussen startkwartaal en peildatum ligt.
-- eenheid: casussen
-- teller: casussen met datum_aanmelding in het kwartaal, som over de proeftuinen van de tranche
-- noemer: -
-- bron: casussen.datum_aanmelding, ref_proeftuinen.tranche, ref_proeftuinen.start_datum, leveringen.peildatum
-- soort: figuur
-- aantallen: aangemeld
-- groepen: kwartaal; tranche
-- periode: rijen
-- delen: instroom-per-kwartaal
--
-- De som van instroom-per-kwartaal per tranche en kwartaal, uit kwartaal_tellingen
-- (dashboard/schema.sql).
SELECT tranche,
       kwartaal,
       CAST(sum(aangemeld) AS INTEGER) AS aangemeld
FROM kwartaal_tellingen
WHERE ($tranche::INTEGER IS NULL OR tranche = $tranche::INTEGER)
  AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], proeftuin))
  AND ($van::DATE IS NULL OR kwartaal_start >= $van::DATE)
  AND ($tot::DATE IS NULL OR kwartaal_eind <= $tot::DATE)
GROUP BY tranche, kwartaal
ORDER BY tranche, kwartaal;
