-- id: netwerkdossier-per-kwartaal
-- titel: Netwerkdossier en inzage van het gezin bij lopende casussen, per kwartaal
-- definitie: Per proeftuin en kwartaal, onder de casussen die op de laatste dag van het kwartaal lopen: het percentage met netwerkdossier = ja van de lopende casussen waarbij netwerkdossier is ingevuld, en het percentage met gezin_inzage = ja van de lopende casussen waarbij gezin_inzage is ingevuld, uit de actuele casussen-levering van de proeftuin. Een leeg veld is onbekend en telt niet mee; bij noemer 0 is de waarde leeg.
-- eenheid: %
-- teller: lopend_netwerkdossier: lopende casussen met netwerkdossier = ja; lopend_gezin_inzage: lopende casussen met gezin_inzage = ja
-- noemer: lopend_met_netwerkdossier: lopende casussen met netwerkdossier ingevuld; lopend_met_gezin_inzage: lopende casussen met gezin_inzage ingevuld
-- bron: casussen.datum_aanmelding, casussen.datum_afsluiting, casussen.netwerkdossier, casussen.gezin_inzage, ref_proeftuinen.tranche, ref_proeftuinen.start_datum, leveringen.peildatum
-- soort: figuur
-- aantallen: lopend_met_netwerkdossier, lopend_netwerkdossier, lopend_met_gezin_inzage, lopend_gezin_inzage
-- verhoudingen: pct_netwerkdossier:lopend_netwerkdossier/lopend_met_netwerkdossier, pct_gezin_inzage:lopend_gezin_inzage/lopend_met_gezin_inzage
-- groepen: tranche+kwartaal
-- periode: rijen
-- afronden: lopend_met_netwerkdossier, lopend_netwerkdossier, lopend_met_gezin_inzage, lopend_gezin_inzage
--
-- Lopend aan het eind van het kwartaal zoals lopend-per-kwartaal: datum_aanmelding <= laatste dag en
-- (datum_afsluiting leeg of > laatste dag). Kwartalen: view proeftuin_kwartalen, nullen inbegrepen; de
-- aantallen uit kwartaal_tellingen (dashboard/schema.sql).
-- Let op: de waarden van netwerkdossier en gezin_inzage komen uit de actuele levering (de stand op haar
-- peildatum), ook voor eerdere kwartalen; het kerncijfer netwerkdossier in kpi-per-proeftuin is het laatste
-- kwartaal van deze reeks (bij dezelfde populatie).
-- pct = 100 * teller / noemer, 1 decimaal, half van nul af, exact: (2000 * t + n) // (2 * n) / 10.
-- De periodefilter (van/tot) beperkt de getoonde kwartalen.
WITH telling AS (
    SELECT k.proeftuin, k.tranche, k.kwartaal,
           k.lopend_met_netwerkdossier AS met_netwerkdossier,
           k.lopend_netwerkdossier AS netwerkdossier,
           k.lopend_met_gezin_inzage AS met_gezin_inzage,
           k.lopend_gezin_inzage AS gezin_inzage
    FROM kwartaal_tellingen k
    WHERE ($tranche::INTEGER IS NULL OR k.tranche = $tranche::INTEGER)
      AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], k.proeftuin))
      AND ($van::DATE IS NULL OR k.kwartaal_start >= $van::DATE)
      AND ($tot::DATE IS NULL OR k.kwartaal_eind <= $tot::DATE)
)
SELECT proeftuin,
       tranche,
       kwartaal,
       CAST(met_netwerkdossier AS INTEGER) AS lopend_met_netwerkdossier,
       CAST(netwerkdossier AS INTEGER) AS lopend_netwerkdossier,
       CAST(met_gezin_inzage AS INTEGER) AS lopend_met_gezin_inzage,
       CAST(gezin_inzage AS INTEGER) AS lopend_gezin_inzage,
       CASE WHEN met_netwerkdossier > 0
            THEN ((2000 * CAST(netwerkdossier AS BIGINT) + met_netwerkdossier)
                  // (2 * CAST(met_netwerkdossier AS BIGINT))) / 10
       END AS pct_netwerkdossier,
       CASE WHEN met_gezin_inzage > 0
            THEN ((2000 * CAST(gezin_inzage AS BIGINT) + met_gezin_inzage)
                  // (2 * CAST(met_gezin_inzage AS BIGINT))) / 10
       END AS pct_gezin_inzage
FROM telling
ORDER BY proeftuin, kwartaal;
