-- id: leveringen-status
-- titel: Tijdigheid van de casussen-leveringen per kwartaal
-- definitie: Per proeftuin en kwartaal, van het startkwartaal van de proeftuin tot en met de laatste periode waarover in het programma een casussen-levering is ontvangen: op_tijd als de eerste geaccepteerde casussen-levering voor die periode binnen 30 dagen na het eind van het kwartaal is ontvangen, te_laat als dat later was, afgewezen als er voor die periode alleen afgewezen leveringen zijn, ontbreekt als er niets is ontvangen.
-- eenheid: leveringen
-- teller: -
-- noemer: -
-- bron: leveringen.proeftuin, leveringen.soort, leveringen.periode, leveringen.peildatum, leveringen.ontvangen, leveringen.status, ref_proeftuinen.start_datum
-- soort: figuur
--
-- ontvangen = ontvangstdatum van de eerste geaccepteerde levering (leeg bij afgewezen en ontbreekt);
-- dagen_na_kwartaal = date_diff('day', laatste dag van het kwartaal, ontvangen); op tijd t/m 30 dagen.
-- uiterlijk = laatste dag van het kwartaal + 30 dagen: de laatste dag waarop de levering op tijd is
-- (de enige plek waar die termijn staat; /aanleveren en de meldingen op / en /iv lezen hem hier).
-- afgewezen = aantal afgewezen leveringen voor die periode (ook als er later een is geaccepteerd).
-- Een vervangende levering verandert de status niet: de eerste geaccepteerde telt.
-- Laatste periode: de hoogste peildatum van alle casussen-leveringen in het logboek (alle proeftuinen,
-- los van de filters), zodat elke proeftuin dezelfde kwartalen heeft. Verwijderde leveringen tellen niet.
-- Alle proeftuinen uit de referentielijst binnen tranche/proeftuinen, ook zonder enige levering.
-- De periodefilter (van/tot) beperkt de getoonde kwartalen.
WITH laatste AS (
    SELECT max(peildatum) AS peildatum
    FROM leveringen
    WHERE soort = 'casussen' AND proeftuin IS NOT NULL AND status IS DISTINCT FROM 'verwijderd'
),
kwartalen AS (
    SELECT p.code AS proeftuin,
           strftime(q.kwartaal_start, '%Y') || '-Q' || CAST(quarter(q.kwartaal_start) AS VARCHAR) AS kwartaal,
           CAST(q.kwartaal_start AS DATE) AS kwartaal_start,
           CAST(q.kwartaal_start + INTERVAL 3 MONTH - INTERVAL 1 DAY AS DATE) AS kwartaal_eind
    FROM ref_proeftuinen p
    CROSS JOIN laatste l
    CROSS JOIN LATERAL (
        SELECT unnest(generate_series(CAST(date_trunc('quarter', p.start_datum) AS TIMESTAMP),
                                      CAST(date_trunc('quarter', l.peildatum) AS TIMESTAMP),
                                      INTERVAL 3 MONTH)) AS kwartaal_start
    ) q
    WHERE l.peildatum IS NOT NULL
      AND ($tranche::INTEGER IS NULL OR p.tranche = $tranche::INTEGER)
      AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], p.code))
),
per_periode AS (
    SELECT proeftuin, periode,
           min(ontvangen) FILTER (WHERE status = 'geaccepteerd') AS ontvangen,
           count(*) FILTER (WHERE status = 'afgewezen') AS afgewezen
    FROM leveringen
    WHERE soort = 'casussen' AND status IN ('geaccepteerd', 'afgewezen')
    GROUP BY proeftuin, periode
),
samen AS (
    SELECT k.proeftuin, k.kwartaal, k.kwartaal_start, k.kwartaal_eind, l.ontvangen,
           date_diff('day', k.kwartaal_eind, l.ontvangen) AS dagen,
           CAST(k.kwartaal_eind + INTERVAL 30 DAY AS DATE) AS uiterlijk,
           coalesce(l.afgewezen, 0) AS afgewezen
    FROM kwartalen k
    LEFT JOIN per_periode l ON l.proeftuin = k.proeftuin AND l.periode = k.kwartaal
    WHERE ($van::DATE IS NULL OR k.kwartaal_start >= $van::DATE)
      AND ($tot::DATE IS NULL OR k.kwartaal_eind <= $tot::DATE)
)
SELECT proeftuin,
       kwartaal,
       CASE WHEN ontvangen IS NOT NULL AND ontvangen <= uiterlijk THEN 'op_tijd'
            WHEN ontvangen IS NOT NULL THEN 'te_laat'
            WHEN afgewezen > 0 THEN 'afgewezen'
            ELSE 'ontbreekt'
       END AS status,
       ontvangen,
       CAST(dagen AS INTEGER) AS dagen_na_kwartaal,
       CAST(afgewezen AS INTEGER) AS afgewezen,
       uiterlijk
FROM samen
ORDER BY proeftuin, kwartaal;
