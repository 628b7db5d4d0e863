-- id: instroom-per-kwartaal
-- titel: Aangemelde casussen per kwartaal
-- definitie: Aantal casussen met datum_aanmelding in het kwartaal, per proeftuin, uit de actuele casussen-levering van die proeftuin. Elk kwartaal van het startkwartaal van de proeftuin tot en met de peildatum van die levering krijgt een rij, ook als er niemand is aangemeld.
-- eenheid: casussen
-- teller: casussen met datum_aanmelding van de eerste t/m de laatste dag van het kwartaal
-- noemer: -
-- bron: casussen.datum_aanmelding, ref_proeftuinen.start_datum, leveringen.peildatum
-- soort: figuur
-- aantallen: aangemeld
-- groepen: tranche+kwartaal; proeftuin
-- periode: rijen
--
-- Kwartalen: view proeftuin_kwartalen. De periodefilter (van/tot) beperkt de getoonde kwartalen.
-- Een casus aangemeld voor het startkwartaal van de proeftuin valt in geen enkel kwartaal.
-- Telt uit kwartaal_tellingen (dashboard/schema.sql): een rij per proeftuin en kwartaal, nullen inbegrepen.
SELECT k.proeftuin,
       k.kwartaal,
       k.aangemeld
FROM kwartaal_tellingen k
WHERE ($tranche::INTEGER IS NULL OR k.tranche = $tranche::INTEGER)
  AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], k.proeftuin))
  AND ($van::DATE IS NULL OR k.kwartaal_start >= $van::DATE)
  AND ($tot::DATE IS NULL OR k.kwartaal_eind <= $tot::DATE)
ORDER BY k.proeftuin, k.kwartaal;
