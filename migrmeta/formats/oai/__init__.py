"""OAI-PMH 2.0: harvest DDI Codebook (or Dublin Core) records from the repositories of
statistical offices and data archives (NADA, Dataverse, the CESSDA archives, the IHSN
catalogue) into draft survey records.

- `protocol`: OAI-PMH responses read through the safe XML parser; error codes
- `client`: the verbs, resumption-token paging (same site only, loop guard, page cap) and
  the choice of metadata format
- `dc`: the oai_dc fallback mapping
- `state`: what was harvested into a drafts folder, remembered next to the drafts
- `harvest`: records -> drafts with provenance, deletions, pruning; the report
"""

from migrmeta.formats.oai.client import OaiClient, choose_format
from migrmeta.formats.oai.harvest import HarvestOptions, HarvestReport, harvest, render_harvest
from migrmeta.formats.oai.protocol import OaiError

__all__ = ["HarvestOptions", "HarvestReport", "OaiClient", "OaiError", "choose_format", "harvest", "render_harvest"]
