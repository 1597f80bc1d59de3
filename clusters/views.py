"""The five clusters, each with its meetings and the letters that mention it."""

from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views.generic import DetailView, ListView

from common.cache import public_cache

from .models import Cluster


@method_decorator(public_cache, name="dispatch")
class ClusterListView(ListView):
    model = Cluster
    template_name = "clusters/cluster_list.html"
    context_object_name = "clusters"


# Its meetings show as held once their end has passed: the page depends on the clock.
@method_decorator(public_cache(clock=True), name="dispatch")
class ClusterDetailView(DetailView):
    model = Cluster
    template_name = "clusters/cluster_detail.html"
    context_object_name = "cluster"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meetings=self.object.meetings.with_related().order_by("-starts_at"),
            letters=self.object.letters.public().originals().shown_in(get_language())
            .with_enclosure_notices()
            .order_by("-date", "-pk"),
            **kwargs,
        )
