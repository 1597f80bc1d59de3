"""The five clusters and what each covers."""

from django.views.generic import DetailView, ListView

from .models import Cluster


class ClusterListView(ListView):
    model = Cluster
    template_name = "clusters/cluster_list.html"
    context_object_name = "clusters"


class ClusterDetailView(DetailView):
    model = Cluster
    template_name = "clusters/cluster_detail.html"
    context_object_name = "cluster"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meetings=self.object.meetings.with_related().order_by("-starts_at"), **kwargs
        )
