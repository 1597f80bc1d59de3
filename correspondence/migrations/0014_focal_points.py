import common.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('correspondence', '0013_scheduled_distributions'),
        ('ign_sessions', '0009_mission_history'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='FocalPointInvitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.EmailField(max_length=254, validators=[common.validators.validate_single_line], verbose_name='e-mail address')),
                ('language', models.CharField(choices=[('en', 'English'), ('ar', 'Arabic'), ('zh-hans', 'Chinese'), ('fr', 'French'), ('ru', 'Russian'), ('es', 'Spanish')], default='en', help_text='The language of the invitation and of its page.', max_length=7, verbose_name='language')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='invited')),
                ('expires_at', models.DateTimeField(verbose_name='expires')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent')),
                ('send_error', models.TextField(blank=True, validators=[common.validators.validate_multi_line], verbose_name='not sent because')),
                ('accepted_at', models.DateTimeField(blank=True, null=True, verbose_name='accepted')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked')),
                ('accepted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='account made')),
                ('invited_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='invited by')),
                ('mission', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='focal_invitations', to='ign_sessions.mission', verbose_name='mission')),
            ],
            options={
                'verbose_name': 'focal point invitation',
                'verbose_name_plural': 'focal point invitations',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='FocalPoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='since')),
                ('mission', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='focal_points', to='ign_sessions.mission', verbose_name='mission')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='focal_point', to=settings.AUTH_USER_MODEL, verbose_name='account')),
                ('invitation', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='focal_point', to='correspondence.focalpointinvitation', verbose_name='invitation')),
            ],
            options={
                'verbose_name': 'focal point',
                'verbose_name_plural': 'focal points',
                'ordering': ['mission__state__name', 'user__username'],
            },
        ),
        migrations.CreateModel(
            name='ResendRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='asked')),
                ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='asked by')),
                ('delivery', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='resend_requests', to='correspondence.delivery', verbose_name='delivery')),
                ('mission', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ign_sessions.mission', verbose_name='mission')),
            ],
            options={
                'verbose_name': 're-send request',
                'verbose_name_plural': 're-send requests',
                'ordering': ['-at'],
            },
        ),
        migrations.AddConstraint(
            model_name='focalpointinvitation',
            constraint=models.CheckConstraint(condition=models.Q(('expires_at__gt', models.F('created_at'))), name='focal_invitation_expires_after_it_is_made'),
        ),
        migrations.AddConstraint(
            model_name='focalpointinvitation',
            constraint=models.CheckConstraint(condition=models.Q(('accepted_at__isnull', True), ('revoked_at__isnull', True), _connector='OR'), name='focal_invitation_accepted_or_revoked_not_both'),
        ),
    ]
