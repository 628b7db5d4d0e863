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
-- De som van lopend-per-kwartaal per tranche en kwartaal.
WITH per_proeftuin AS (
    SELECT k.tranche, k.proeftuin, k.kwartaal, count(c.casus_id) AS lopend
    FROM proeftuin_kwartalen k
    LEFT JOIN casussen_actueel c
           ON c.proeftuin = k.proeftuin
          AND c.datum_aanmelding <= k.kwartaal_eind
          AND (c.datum_afsluiting IS NULL OR c.datum_afsluiting > k.kwartaal_eind)
    WHERE ($tranche::INTEGER IS NULL OR k.tranche = $tranche::INTEGER)
      AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], k.proeftuin))
      AND ($van::DATE IS NULL OR k.kwartaal_start >= $van::DATE)
      AND ($tot::DATE IS NULL OR k.kwartaal_eind <= $tot::DATE)
    GROUP BY k.tranche, k.proeftuin, k.kwartaal
)
SELECT tranche,
       kwartaal,
       CAST(sum(lopend) AS INTEGER) AS lopend
FROM per_proeftuin
GROUP BY tranche, kwartaal
ORDER BY tranche, kwartaal;
