-- id: team-omvang-per-kwartaal
-- titel: Omvang van de teams per kwartaal
-- definitie: Aantal posities en som van de fte per proeftuin die op de laatste dag van het kwartaal actief zijn (datum_start op of voor die dag, datum_einde leeg of op of na die dag), uit de actuele teamleden-levering van de proeftuin. Elk kwartaal van het startkwartaal van de proeftuin tot en met de peildatum van die levering krijgt een rij, ook met 0.
-- eenheid: fte
-- teller: -
-- noemer: -
-- bron: teamleden.fte, teamleden.datum_start, teamleden.datum_einde, ref_proeftuinen.start_datum, leveringen.peildatum
-- soort: figuur
--
-- Kwartalen: van het kwartaal van ref_proeftuinen.start_datum tot en met het kwartaal van de peildatum van
-- de actuele teamleden-levering (niet die van de casussen-levering, zoals bij proeftuin_kwartalen).
-- Een proeftuin zonder teamleden-levering heeft geen rijen. De actuele levering geeft ook de
-- eerdere kwartalen, want posities die voor de peildatum zijn beëindigd, staan er met hun datum_einde in.
-- fte afgerond op 3 decimalen; posities telt rijen, niet verschillende personen.
-- De periodefilter (van/tot) beperkt de getoonde kwartalen.
WITH kwartalen AS (
    SELECT p.code AS proeftuin, a.levering_id,
           strftime(q.kwartaal_start, '%Y') || '-Q' || CAST(quarter(q.kwartaal_start) AS VARCHAR) AS kwartaal,
           CAST(q.kwartaal_start AS DATE) AS kwartaal_start,
           CAST(q.kwartaal_start + INTERVAL 3 MONTH - INTERVAL 1 DAY AS DATE) AS kwartaal_eind
    FROM ref_proeftuinen p
    JOIN actuele_leveringen a ON a.proeftuin = p.code AND a.soort = 'teamleden'
    CROSS JOIN LATERAL (
        SELECT unnest(generate_series(CAST(date_trunc('quarter', p.start_datum) AS TIMESTAMP),
                                      CAST(date_trunc('quarter', a.peildatum) AS TIMESTAMP),
                                      INTERVAL 3 MONTH)) AS kwartaal_start
    ) q
    WHERE ($tranche::INTEGER IS NULL OR p.tranche = $tranche::INTEGER)
      AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], p.code))
)
SELECT k.proeftuin,
       k.kwartaal,
       CAST(count(t.proeftuin) AS INTEGER) AS posities,
       coalesce(round(sum(t.fte), 3), 0) AS fte
FROM kwartalen k
LEFT JOIN teamleden t
       ON t.levering_id = k.levering_id
      AND t.datum_start <= k.kwartaal_eind
      AND (t.datum_einde IS NULL OR t.datum_einde >= k.kwartaal_eind)
WHERE ($van::DATE IS NULL OR k.kwartaal_start >= $van::DATE)
  AND ($tot::DATE IS NULL OR k.kwartaal_eind <= $tot::DATE)
GROUP BY k.proeftuin, k.kwartaal
ORDER BY k.proeftuin, k.kwartaal;
