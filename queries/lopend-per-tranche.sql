-- id: lopend-per-tranche
-- titel: Lopende casussen aan het eind van het kwartaal, per tranche
-- definitie: Aantal casussen dat op de laatste dag van het kwartaal loopt (aangemeld op of voor die dag en niet op of voor die dag afgesloten), opgeteld over de gekozen proeftuinen van de tranche, elk uit de actuele casussen-levering van die proeftuin. Een kwartaal staat erin als het voor minstens één proeftuin van de tranche tussen startkwartaal en peildatum ligt.
-- eenheid: casussen
-- teller: casussen met datum_aanmelding <= laatste dag van het kwartaal en (datum_afsluiting leeg of > laatste dag van het kwartaal), som over de proeftuinen van de tranche
-- noemer: -
-- bron: casussen.datum_aanmelding, casussen.datum_afsluiting, ref_proeftuinen.tranche, ref_proeftuinen.start_datum, leveringen.peildatum
-- soort: figuur
-- aantallen: lopend
-- groepen: kwartaal; tranche
-- periode: rijen
-- afronden: lopend
--
-- De som van lopend-per-kwartaal per tranche en kwartaal, uit kwartaal_tellingen
-- (dashboard/schema.sql).
SELECT tranche,
       kwartaal,
       CAST(sum(lopend) AS INTEGER) AS lopend
FROM kwartaal_tellingen
WHERE ($tranche::INTEGER IS NULL OR tranche = $tranche::INTEGER)
  AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], proeftuin))
  AND ($van::DATE IS NULL OR kwartaal_start >= $van::DATE)
  AND ($tot::DATE IS NULL OR kwartaal_eind <= $tot::DATE)
GROUP BY tranche, kwartaal
ORDER BY tranche, kwartaal;
