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
-- De som van instroom-per-kwartaal per tranche en kwartaal.
WITH per_proeftuin AS (
    SELECT k.tranche, k.proeftuin, k.kwartaal, count(c.casus_id) AS aangemeld
    FROM proeftuin_kwartalen k
    LEFT JOIN casussen_actueel c
           ON c.proeftuin = k.proeftuin
          AND c.datum_aanmelding BETWEEN k.kwartaal_start AND k.kwartaal_eind
    WHERE ($tranche::INTEGER IS NULL OR k.tranche = $tranche::INTEGER)
      AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], k.proeftuin))
      AND ($van::DATE IS NULL OR k.kwartaal_start >= $van::DATE)
      AND ($tot::DATE IS NULL OR k.kwartaal_eind <= $tot::DATE)
    GROUP BY k.tranche, k.proeftuin, k.kwartaal
)
SELECT tranche,
       kwartaal,
       CAST(sum(aangemeld) AS INTEGER) AS aangemeld
FROM per_proeftuin
GROUP BY tranche, kwartaal
ORDER BY tranche, kwartaal;
