-- id: lopend-per-kwartaal
-- titel: Lopende casussen aan het eind van het kwartaal
-- definitie: Aantal casussen dat op de laatste dag van het kwartaal loopt: aangemeld op of voor die dag en niet op of voor die dag afgesloten, per proeftuin, uit de actuele casussen-levering van die proeftuin.
-- eenheid: casussen
-- teller: casussen met datum_aanmelding <= laatste dag van het kwartaal en (datum_afsluiting leeg of > laatste dag van het kwartaal)
-- noemer: -
-- bron: casussen.datum_aanmelding, casussen.datum_afsluiting, ref_proeftuinen.start_datum, leveringen.peildatum
-- soort: figuur
-- aantallen: lopend
-- groepen: tranche+kwartaal
-- periode: rijen
-- afronden: lopend
--
-- Zelfde kwartaalrijen als instroom-per-kwartaal (view proeftuin_kwartalen), nullen inbegrepen.
-- Een casus die op de laatste dag van het kwartaal is afgesloten, loopt aan het eind van dat kwartaal niet meer.
-- De aantallen uit kwartaal_tellingen (dashboard/schema.sql).
SELECT k.proeftuin,
       k.kwartaal,
       k.lopend
FROM kwartaal_tellingen k
WHERE ($tranche::INTEGER IS NULL OR k.tranche = $tranche::INTEGER)
  AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], k.proeftuin))
  AND ($van::DATE IS NULL OR k.kwartaal_start >= $van::DATE)
  AND ($tot::DATE IS NULL OR k.kwartaal_eind <= $tot::DATE)
ORDER BY k.proeftuin, k.kwartaal;
