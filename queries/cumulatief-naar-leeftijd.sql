-- id: cumulatief-naar-leeftijd
-- titel: Aangemelde en lopende casussen naar maanden sinds de start
-- definitie: Per proeftuin en kwartaal het totaal aantal casussen dat tot en met de laatste dag van het kwartaal is aangemeld en het aantal casussen dat op die dag loopt, met het aantal maanden sinds de start van de proeftuin (startmaand = maand 0) tot het eind van het kwartaal, zodat beide tranches op maand 0 beginnen; uit de actuele casussen-levering van de proeftuin.
-- eenheid: casussen
-- teller: cumulatief_aangemeld: casussen met datum_aanmelding <= laatste dag van het kwartaal; lopend: daarvan datum_afsluiting leeg of > laatste dag van het kwartaal
-- noemer: -
-- bron: casussen.datum_aanmelding, casussen.datum_afsluiting, ref_proeftuinen.start_datum, ref_proeftuinen.tranche, leveringen.peildatum
-- soort: figuur
-- aantallen: cumulatief_aangemeld, lopend
-- groepen: tranche+kwartaal
-- periode: rijen
-- afronden: cumulatief_aangemeld, lopend
--
-- Kwartalen: view proeftuin_kwartalen (startkwartaal t/m de peildatum van de actuele casussen-levering),
-- nullen inbegrepen. maand_sinds_start komt uit die view: date_diff in maanden van de startmaand tot de
-- laatste maand van het kwartaal (tranche 1, start 2021-10-01: 2021-Q4 = 2, 2022-Q1 = 5).
-- cumulatief_aangemeld telt ook casussen die voor het startkwartaal zijn aangemeld (zoals lopend dat doet),
-- en is dus niet altijd de som van instroom-per-kwartaal. lopend = lopend-per-kwartaal.
-- De periodefilter (van/tot) beperkt de getoonde kwartalen, niet wat cumulatief meetelt.
-- De aantallen uit kwartaal_tellingen (dashboard/schema.sql).
SELECT k.proeftuin,
       k.tranche,
       k.maand_sinds_start,
       k.kwartaal,
       k.cumulatief_aangemeld,
       k.lopend
FROM kwartaal_tellingen k
WHERE ($tranche::INTEGER IS NULL OR k.tranche = $tranche::INTEGER)
  AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], k.proeftuin))
  AND ($van::DATE IS NULL OR k.kwartaal_start >= $van::DATE)
  AND ($tot::DATE IS NULL OR k.kwartaal_eind <= $tot::DATE)
ORDER BY k.proeftuin, k.kwartaal;
